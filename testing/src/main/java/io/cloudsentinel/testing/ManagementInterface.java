package io.cloudsentinel.testing;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where a {@code @QuarkusTest} application serves health and metrics: Quarkus's management interface, on
 * {@code quarkus.management.test-port} (9001 unless a test sets it), not on the HTTP port RestAssured points at.
 */
public final class ManagementInterface {

    private static final int DEFAULT_TEST_PORT = 9001;

    private ManagementInterface() {
    }

    /** The URL of a path on it, e.g. {@code /q/metrics}. */
    public static String url(String path) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(DEFAULT_TEST_PORT);
        return "http://localhost:" + port + path;
    }
}
