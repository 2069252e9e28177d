package io.cloudsentinel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * The Redis of the tests: the one {@code CS_TEST_REDIS_URL} names (e.g. {@code redis://redis:6379}), else an embedded
 * redis-server (the binary inside {@code com.github.codemonstur:embedded-redis}, from Maven Central) started on a
 * free loopback port for this JVM and stopped when it exits. Never a Redis that merely happens to listen on the
 * machine: tests flush what they write.
 */
public final class RedisTestServer {

    private static RedisTestServer shared;

    private final String url;

    private RedisTestServer(String url) {
        this.url = url;
    }

    /** Kept in a system property: a Quarkus test and the application it boots load this class twice. */
    private static final String STARTED = "cs.test.redis.started-url";

    public static RedisTestServer shared() {
        synchronized (System.class) {
            if (shared == null) {
                String external = System.getenv("CS_TEST_REDIS_URL");
                String started = System.getProperty(STARTED);
                if (external != null && !external.isBlank()) {
                    shared = new RedisTestServer(external.strip());
                } else if (started != null) {
                    shared = new RedisTestServer(started);
                } else {
                    shared = embedded();
                    System.setProperty(STARTED, shared.url);
                }
            }
            return shared;
        }
    }

    /** {@code redis://host:port} */
    public String url() {
        return url;
    }

    private static RedisTestServer embedded() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }, "embedded-redis-stop"));
            return new RedisTestServer("redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded Redis did not start", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
