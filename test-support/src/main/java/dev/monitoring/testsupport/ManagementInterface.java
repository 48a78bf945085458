package dev.monitoring.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;

/**
 * The service's management interface in a {@code @QuarkusTest}: {@code /q/health} and {@code /q/metrics} answer there,
 * not on the HTTP port. Tests bind it to a free port ({@code quarkus.management.test-port=0}); Quarkus puts the port it
 * bound back into that property.
 */
public final class ManagementInterface {
    private ManagementInterface() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A rest-assured request to the management interface. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }
}
