package dev.monitoring.gateway.security;

import dev.monitoring.gateway.config.GatewayConfig;
import dev.monitoring.model.LogText;
import dev.monitoring.model.OncePer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Failed logins (Basic and form) counted per user and per client address in Redis, so every gateway replica sees
 * the same counts: a fixed window of {@code gateway.security.failure-window} from the first failure (INCR and
 * PEXPIRE in one Lua script, so a key never lives without its expiry). After {@code max-failures} failures in the
 * window, every attempt for that user or from that address is refused with 429 until the window ends, right password
 * or not.
 *
 * <p>Redis unreachable or slow (over {@code redis-timeout}) must not lock everyone out: the check lets the login
 * through (fail open), counts it in {@code gateway_login_throttle_unavailable_total} and warns (at most once a
 * minute).
 */
@ApplicationScoped
public class LoginThrottle {
    /** Count and remaining milliseconds of each key: {count1, pttl1, count2, pttl2, ...}. */
    private static final String CHECK = """
            local out = {}
            for _, key in ipairs(KEYS) do
              out[#out + 1] = tonumber(redis.call('GET', key) or '0')
              out[#out + 1] = redis.call('PTTL', key)
            end
            return out""";
    /** One more failure on each key; a new key (or one that lost its expiry) gets the window. */
    private static final String FAIL = """
            local out = {}
            for _, key in ipairs(KEYS) do
              local count = redis.call('INCR', key)
              if count == 1 or redis.call('PTTL', key) < 0 then
                redis.call('PEXPIRE', key, ARGV[1])
              end
              out[#out + 1] = count
            end
            return out""";

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig.Security config;
    private final Counter failures;
    private final Counter throttled;
    private final Counter unavailable;
    private final OncePer warning = new OncePer(Duration.ofMinutes(1));

    public LoginThrottle(ReactiveRedisDataSource redis, GatewayConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config.security();
        this.failures = Counter.builder("gateway.login.failures")
                .description("Failed logins (wrong user or password), Basic and form").register(registry);
        this.throttled = Counter.builder("gateway.login.throttled")
                .description("Login attempts refused with 429 after too many failures for the user or the address")
                .register(registry);
        this.unavailable = Counter.builder("gateway.login.throttle.unavailable")
                .description("Login attempts let through unchecked or uncounted because Redis did not answer")
                .register(registry);
    }

    /** The Redis keys of a login attempt: the user's (known users only) and the client address's. */
    public List<String> keys(String user, boolean knownUser, String address) {
        List<String> keys = new ArrayList<>(2);
        if (knownUser) {
            keys.add(config.keyPrefix() + ":login-failures:user:" + user);
        }
        if (address != null && !address.isEmpty()) {
            keys.add(config.keyPrefix() + ":login-failures:addr:" + address);
        }
        return keys;
    }

    /** Fails with a throttled {@link LoginThrottledException#of} when one of the keys is over the limit; lets through when Redis is away. */
    public Uni<Void> check(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return eval(CHECK, keys).onItem().transformToUni(answer -> {
            long retryAfterMillis = -1;
            for (int i = 0; answer != null && i + 1 < answer.size(); i += 2) {
                long count = answer.get(i).toLong();
                long pttl = answer.get(i + 1).toLong();
                if (count >= config.maxFailures()) {
                    retryAfterMillis = Math.max(retryAfterMillis, pttl > 0 ? pttl : config.failureWindow().toMillis());
                }
            }
            if (retryAfterMillis >= 0) {
                throttled.increment();
                return Uni.createFrom().<Void>failure(LoginThrottledException.of(Math.max(1, (retryAfterMillis + 999) / 1000)));
            }
            return Uni.createFrom().voidItem();
        }).onFailure(failure -> LoginThrottledException.retryAfter(failure).isEmpty()).recoverWithUni(failure -> {
            redisAway("check", failure);
            return Uni.createFrom().voidItem();
        });
    }

    /** Counts a failed login on each key; never fails (Redis away: warned and counted). */
    public Uni<Void> failed(List<String> keys) {
        failures.increment();
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return eval(FAIL, keys, String.valueOf(config.failureWindow().toMillis()))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    redisAway("count", failure);
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Response> eval(String script, List<String> keys, String... args) {
        List<String> command = new ArrayList<>();
        command.add(script);
        command.add(String.valueOf(keys.size()));
        command.addAll(keys);
        command.addAll(List.of(args));
        return redis.execute("EVAL", command.toArray(String[]::new))
                .ifNoItem().after(config.redisTimeout()).fail();
    }

    private void redisAway(String what, Throwable failure) {
        unavailable.increment();
        if (warning.due()) {
            Log.warnf("login throttling unavailable (could not %s failed logins in Redis: %s): logins are let through "
                    + "without the limit until Redis answers", what, LogText.safe(String.valueOf(failure)));
        }
    }
}
