package io.cloudsentinel.testing;

import java.util.function.BooleanSupplier;

/** Where a test server comes from, in the order of preference. */
public enum Backend {
    /** A server named by environment variables: CI machines and developers with their own servers. */
    EXTERNAL,
    /** A container, when a Docker daemon answers. */
    TESTCONTAINERS,
    /** In-process or child-process binaries from Maven Central: what runs on machines without Docker. */
    EMBEDDED;

    /**
     * @param externalSetting the environment variable that names an external server, or null
     * @param dockerAvailable asked only when no external server is named
     */
    public static Backend choose(String externalSetting, BooleanSupplier dockerAvailable) {
        if (externalSetting != null && !externalSetting.isBlank()) {
            return EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : EMBEDDED;
    }

    static boolean dockerAnswers() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
