package io.cloudsentinel.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

import io.cloudsentinel.local.LaunchFailure;
import io.cloudsentinel.local.Ports;
import io.cloudsentinel.local.Stack;

/**
 * The one stack every scenario drives: PostgreSQL, the broker and the five services from their packaged jars, started
 * by the launcher's code on free ports with its state under target/stack, once per test JVM (a second start would
 * double the suite's time), and stopped when the JVM exits. Intervals are shortened through the services' own
 * configuration, as an operator would: sweeps every second, short backoffs, a short analysis timeout.
 */
final class SuiteUnderTest {

    /** The scenarios' model endpoint (answers, hangs) and webhook receiver, on this JVM. */
    static final ModelEndpoint MODEL = ModelEndpoint.start();
    static final WebhookReceiver WEBHOOKS = WebhookReceiver.start();

    private static Stack stack;

    private SuiteUnderTest() {
    }

    private static RuntimeException failedStart;

    static synchronized Stack stack() {
        if (failedStart != null) {
            throw failedStart; // once: a second start would delete the first one's logs
        }
        if (stack == null) {
            try {
                stack = start();
            } catch (RuntimeException e) {
                failedStart = e;
                throw e;
            }
        }
        return stack;
    }

    private static Stack start() {
        Path root = Path.of(System.getProperty("cs.root", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("e2e.state", "target/stack")).toAbsolutePath();
        try {
            deleteRecursively(state);
            Stack started = Stack.builder(root)
                    .state(state)
                    .ports(Ports.free())
                    .durable(false)
                    .kafkaClasspath(System.getProperty("java.class.path"))
                    .modelEndpoint(MODEL.baseUrl(), ModelEndpoint.MODEL, ModelEndpoint.API_KEY)
                    .environment("scheduler-service", Map.of("CS_SCHEDULER_SWEEP_INTERVAL", "1s"))
                    .environment("job-service", Map.of(
                            "CS_JOBS_TYPES_NOTIFICATION_BACKOFF_BASE", "1s",
                            "CS_JOBS_TYPES_NOTIFICATION_BACKOFF_CAP", "2s",
                            "CS_JOBS_TYPES_FINOPS_ANALYSIS_BACKOFF_BASE", "1s",
                            "CS_JOBS_TYPES_FINOPS_ANALYSIS_BACKOFF_CAP", "2s",
                            // a noop that holds longer than a second times out (three times, then it is dead);
                            // one rescued from a killed instance is retried within its three attempts
                            "CS_JOBS_TYPES_NOOP_TIMEOUT", "1s",
                            "CS_JOBS_TYPES_NOOP_MAX_ATTEMPTS", "3",
                            "CS_JOBS_TYPES_NOOP_BACKOFF_BASE", "200ms",
                            "CS_JOBS_TYPES_NOOP_BACKOFF_CAP", "500ms"))
                    // every caller of the scenarios comes from 127.0.0.1, as many users behind one NAT would
                    .environment("gateway", Map.of("CS_GATEWAY_ADDRESS_LIMIT_PER_SECOND", "5000",
                            "CS_GATEWAY_ADDRESS_LIMIT_BURST", "10000"))
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-stack-stop"));
            started.start();
            return started;
        } catch (LaunchFailure failure) {
            throw new IllegalStateException(failure.part() + " did not come up: " + failure.getMessage()
                    + failure.log().map(log -> "; log " + log + ":\n" + tail(log)).orElse(""), failure);
        } catch (Exception e) {
            throw new IllegalStateException("the stack did not start", e);
        }
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
