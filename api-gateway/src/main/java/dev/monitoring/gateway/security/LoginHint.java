package dev.monitoring.gateway.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Says at start-up where to log in; passwords are printed only for the dev-mode defaults. */
@ApplicationScoped
public class LoginHint {
    private final int port;

    public LoginHint(@ConfigProperty(name = "quarkus.http.port") int port) {
        this.port = port;
    }

    void onStart(@Observes StartupEvent startup) {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            Log.infof("Dashboard: http://localhost:%d/ - log in as admin/admin-dev or viewer/viewer-dev (unless "
                    + "GATEWAY_ADMIN_PASSWORD / GATEWAY_VIEWER_PASSWORD are set)", port);
        } else if (LaunchMode.current() == LaunchMode.NORMAL) {
            Log.infof("Dashboard: http://localhost:%d/ - log in as admin or viewer with the passwords of "
                    + "GATEWAY_ADMIN_PASSWORD / GATEWAY_VIEWER_PASSWORD; API: curl -u viewer:... http://localhost:%d/api/health",
                    port, port);
        }
    }
}
