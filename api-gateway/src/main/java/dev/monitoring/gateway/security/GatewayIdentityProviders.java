package dev.monitoring.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * The gateway's users ({@link Users}) for Quarkus security, in place of the embedded properties realm (which cannot
 * take bcrypt hashes): a user name and password (HTTP Basic and the login form) through {@link LoginThrottle}, and the
 * session cookie of the login form (Quarkus has decrypted it and asks who its user is) through
 * {@link SessionRevocations}. Both rank before any other provider of the same requests.
 */
public final class GatewayIdentityProviders {
    static final int PRIORITY = 3_000;

    private GatewayIdentityProviders() {
    }

    static SecurityIdentity identity(String user, Users users) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRoles(users.roles(user))
                .build();
    }

    /** User name and password, Basic or form: throttled, then verified (bcrypt on a worker thread). */
    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        private final Users users;
        private final LoginThrottle throttle;

        public Password(Users users, LoginThrottle throttle) {
            this.users = users;
            this.throttle = throttle;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public int priority() {
            return PRIORITY;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            String user = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            List<String> keys = throttle.keys(user, users.exists(user), clientAddress(request));
            return throttle.check(keys)
                    .chain(() -> context.runBlocking(() -> users.verify(user, password) ? identity(user, users) : null))
                    .chain(identity -> identity != null
                            ? Uni.createFrom().item(identity)
                            : throttle.failed(keys).chain(() -> Uni.createFrom().<SecurityIdentity>failure(new AuthenticationFailedException())));
        }

        /** The client's address; behind a trusted proxy the one it forwarded. */
        private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
            RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
            SocketAddress address = context == null ? null : context.request().remoteAddress();
            if (address == null) {
                return null;
            }
            return address.hostAddress() != null ? address.hostAddress() : address.host();
        }
    }

    /** The session cookie's user: refused when that user was removed or the session was logged out. */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        private final Users users;
        private final SessionCookies cookies;
        private final SessionRevocations revocations;

        public Session(Users users, SessionCookies cookies, SessionRevocations revocations) {
            this.users = users;
            this.cookies = cookies;
            this.revocations = revocations;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public int priority() {
            return PRIORITY;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            String user = request.getPrincipal();
            if (!users.exists(user)) {
                return Uni.createFrom().<SecurityIdentity>failure(new AuthenticationFailedException());
            }
            RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
            Cookie cookie = routing == null ? null : routing.request().getCookie(cookies.cookieName());
            Optional<SessionCookies.Session> session = cookie == null ? Optional.empty() : cookies.read(cookie.getValue());
            if (session.isEmpty() || !session.get().user().equals(user)) {
                // Quarkus read a session cookie that the gateway cannot: never expected, so refused
                return Uni.createFrom().<SecurityIdentity>failure(new AuthenticationFailedException());
            }
            return revocations.isRevoked(session.get()).chain(revoked -> revoked
                    ? Uni.createFrom().<SecurityIdentity>failure(new AuthenticationFailedException())
                    : Uni.createFrom().item(identity(user, users)));
        }
    }
}
