package io.cloudsentinel.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The ports a stack listens on, all on 127.0.0.1: PostgreSQL, the Kafka broker and its controller, the model stub,
 * and the gateway's HTTP port, which the other services follow (budget +1, jobs +2, scheduler +3, crypto +4), each
 * service's management interface 1000 above its HTTP port.
 */
public record Ports(int postgres, int kafka, int kafkaController, int stub, int gateway) {

    /** The launcher's ports, each changeable through its CS_LOCAL_* variable. */
    public static Ports local() {
        return new Ports(intFromEnv("CS_LOCAL_POSTGRES_PORT", 5433), intFromEnv("CS_LOCAL_KAFKA_PORT", 9092),
                intFromEnv("CS_LOCAL_KAFKA_CONTROLLER_PORT", 9093), intFromEnv("CS_LOCAL_STUB_PORT", 8089), 8080);
    }

    /**
     * A block of ports that are free now, away from the launcher's and the tests' fixed ones: for a second stack on
     * the same machine (e2e) beside a running local one. The block is gateway … gateway+12 and its +1000 twins.
     */
    public static Ports free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            // below Linux's ephemeral range (32768 and up): an outgoing connection cannot take a port of the block
            // between this check and the service's start
            int base = 20_000 + 20 * ThreadLocalRandom.current().nextInt(500);
            if (IntStream.rangeClosed(base, base + 12).allMatch(Ports::isFree)
                    && IntStream.rangeClosed(base + 1000, base + 1004).allMatch(Ports::isFree)) {
                return new Ports(base + 10, base + 11, base + 12, base + 9, base);
            }
        }
        throw new IllegalStateException("no block of free ports found between 20000 and 32000");
    }

    /** The HTTP port of the service of this name (gateway, budget-service, …). */
    public int httpOf(String service) {
        return http(ServiceModule.named(service));
    }

    int http(ServiceModule service) {
        return gateway + service.portOffset();
    }

    int management(ServiceModule service) {
        return http(service) + 1000;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int intFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
