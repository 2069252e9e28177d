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
    /** A hop between the gateway and scheduler-service that sees what passes there (the signed context). */
    static final CapturingProxy SCHEDULER_HOP = CapturingProxy.start();
    /** The earlier system's key, which crypto-service is given to migrate its tokens. */
    static final LegacyFernet LEGACY = LegacyFernet.generate();

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
            Ports ports = Ports.free();
            SCHEDULER_HOP.forwardTo("http://127.0.0.1:" + ports.httpOf("scheduler-service"));
            Stack started = Stack.builder(root)
                    .state(state)
                    .ports(ports)
                    .durable(false)
                    .kafkaClasspath(System.getProperty("java.class.path"))
                    .modelEndpoint(MODEL.baseUrl(), ModelEndpoint.MODEL, ModelEndpoint.API_KEY)
                    .environment("scheduler-service", Map.of("CS_SCHEDULER_SWEEP_INTERVAL", "1s"))
                    .environment("job-service", Map.ofEntries(
                            Map.entry("CS_JOBS_TYPES_NOTIFICATION_BACKOFF_BASE", "1s"),
                            Map.entry("CS_JOBS_TYPES_NOTIFICATION_BACKOFF_CAP", "2s"),
                            // analyses outlast a budget-service restart (~40 s of retries), a hanging model
                            // is given up after 3 s
                            Map.entry("CS_JOBS_TYPES_FINOPS_ANALYSIS_BACKOFF_BASE", "1s"),
                            Map.entry("CS_JOBS_TYPES_FINOPS_ANALYSIS_BACKOFF_CAP", "5s"),
                            Map.entry("CS_JOBS_TYPES_FINOPS_ANALYSIS_MAX_ATTEMPTS", "10"),
                            Map.entry("CS_JOBS_TYPES_FINOPS_ANALYSIS_TIMEOUT", "10s"),
                            Map.entry("CS_JOBS_ANALYSIS_MODEL_TIMEOUT", "3s"),
                            // a noop that holds longer than a second times out (three times, then it is dead);
                            // one rescued from a killed instance is retried within its three attempts
                            Map.entry("CS_JOBS_TYPES_NOOP_TIMEOUT", "1s"),
                            Map.entry("CS_JOBS_TYPES_NOOP_MAX_ATTEMPTS", "3"),
                            Map.entry("CS_JOBS_TYPES_NOOP_BACKOFF_BASE", "200ms"),
                            Map.entry("CS_JOBS_TYPES_NOOP_BACKOFF_CAP", "500ms")))
                    .environment("crypto-service", Map.of("LEGACY_ENCRYPTION_KEYS", "fernet:" + LEGACY.key()))
                    // every caller of the scenarios comes from 127.0.0.1, as many users behind one NAT would
                    .environment("gateway", Map.of("CS_GATEWAY_ADDRESS_LIMIT_PER_SECOND", "5000",
                            "CS_GATEWAY_ADDRESS_LIMIT_BURST", "10000",
                            "CS_SERVICE_URL_SCHEDULER", SCHEDULER_HOP.url()))
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
