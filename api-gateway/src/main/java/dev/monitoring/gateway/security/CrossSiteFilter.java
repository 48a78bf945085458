package dev.monitoring.gateway.security;

import dev.monitoring.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs first on every request:
 * <ul>
 * <li>{@code Strict-Transport-Security} on HTTPS requests, HTTPS as seen through a trusted proxy
 * ({@code X-Forwarded-Proto}); plain HTTP gets none, so local runs keep working.</li>
 * <li>Cross-site request refusal: a state-changing request (POST, PUT, DELETE, PATCH) carrying the session cookie needs
 * an {@code Origin} (or, without one, a {@code Referer}) of this gateway's own origin (scheme, host and port as seen
 * through the proxy) or of {@code gateway.security.allowed-origins}; else 403 with a JSON reason. API clients with
 * Basic credentials and no cookie are not concerned. The WebSocket handshake and the login form post are checked the
 * same way when they carry an {@code Origin} (browsers always send one): a foreign one is refused.</li>
 * </ul>
 */
@ApplicationScoped
public class CrossSiteFilter {
    /** Before authentication and every route. */
    static final int PRIORITY = 5_000;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final String cookieName;
    private final String loginPath;
    private final Set<String> allowedOrigins;
    private final String hsts;

    public CrossSiteFilter(GatewayConfig config,
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName,
            @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check") String loginPath) {
        this.cookieName = cookieName;
        this.loginPath = loginPath.startsWith("/") ? loginPath : "/" + loginPath;
        this.allowedOrigins = config.security().allowedOrigins().orElse(List.of()).stream()
                .map(String::trim).filter(o -> !o.isEmpty())
                .map(CrossSiteFilter::normalize).filter(o -> o != null)
                .collect(Collectors.toUnmodifiableSet());
        this.hsts = "max-age=" + config.security().hstsMaxAge().toSeconds();
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if ("https".equalsIgnoreCase(request.scheme())) {
            context.response().headers().set("Strict-Transport-Security", hsts);
        }
        String refusal = refusal(request);
        if (refusal != null) {
            context.response().setStatusCode(403)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", refusal).encode());
            return;
        }
        context.next();
    }

    /** Why the request is refused as cross-site, or null. */
    String refusal(HttpServerRequest request) {
        boolean unsafe = !SAFE.contains(request.method());
        boolean webSocket = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        boolean login = unsafe && request.path() != null && request.path().endsWith(loginPath);
        boolean cookie = request.getCookie(cookieName) != null;
        if (!(unsafe || webSocket) || !(cookie || login)) {
            return null;
        }
        String origin = request.getHeader("Origin");
        String source = origin;
        if (source == null && unsafe && !login) {
            String referer = request.getHeader("Referer");
            source = referer == null ? null : originOf(referer);
        }
        if (source == null) {
            if (webSocket || login) {
                return null;
            }
            return "forbidden: a change made with the session cookie needs an Origin or Referer header of this site";
        }
        String normalized = normalize(source);
        if (normalized != null && (normalized.equals(ownOrigin(request)) || allowedOrigins.contains(normalized))) {
            return null;
        }
        return "forbidden: cross-site request refused (origin " + truncate(source) + " is not this site)";
    }

    /** This gateway's origin as the browser sees it: scheme, host and port after the trusted proxy's headers. */
    static String ownOrigin(HttpServerRequest request) {
        String scheme = request.scheme() == null ? "http" : request.scheme().toLowerCase(Locale.ROOT);
        HostAndPort authority = request.authority();
        if (authority == null) {
            return null;
        }
        return canonical(scheme, authority.host(), authority.port());
    }

    /** {@code scheme://host[:port]} of an origin or URL, the port left out when it is the scheme's default; null if unreadable. */
    static String normalize(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return canonical(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String originOf(String url) {
        String normalized = normalize(url);
        return normalized == null ? "(unreadable Referer)" : normalized;
    }

    private static String canonical(String scheme, String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        boolean defaultPort = port < 0 || ("http".equals(scheme) || "ws".equals(scheme)) && port == 80
                || ("https".equals(scheme) || "wss".equals(scheme)) && port == 443;
        return scheme + "://" + h + (defaultPort ? "" : ":" + port);
    }

    private static String truncate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
