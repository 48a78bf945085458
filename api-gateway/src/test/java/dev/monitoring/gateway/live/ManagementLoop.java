package dev.monitoring.gateway.live;

import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test-only route on the management interface that names the thread serving it: the management server runs on one
 * event loop, so when a test holds that loop the probes cannot answer at all (the kubelet counts the timeout as a
 * failed probe); when it holds another, the probes answer and must tell which loop is stalled.
 */
@ApplicationScoped
public class ManagementLoop {
    static final String PATH = "/q/test-serving-thread";

    void addRoute(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(rc -> rc.response().end(Thread.currentThread().getName()));
    }
}
