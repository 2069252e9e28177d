package io.cloudsentinel.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The platform's model endpoint and key for the analysis tests: a free port on 127.0.0.1 that the test classes
 * start their {@link ModelStub} on, and a fresh platform key.
 */
public class PlatformModelStub implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("cs.jobs.analysis.platform.base-url", "http://127.0.0.1:" + port,
                "cs.jobs.analysis.platform.api-key", "sk-platform-" + UUID.randomUUID());
    }

    @Override
    public void stop() {
    }
}
