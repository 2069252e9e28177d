package io.cloudsentinel.e2e.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.cloudsentinel.local.Ports;
import io.cloudsentinel.local.Stack;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.HttpLoad;
import io.cloudsentinel.testing.SignedCalls;

/**
 * The headline figures of the whole suite in one run on this machine: the five services from their packaged jars in
 * the plain {@code prod} profile with generated keys, PostgreSQL with fsync on, each figure next to the limit or
 * anchor it is judged against. Writes {@code target/bench-report/} (report.md, throughput.svg, latency.svg) and adds
 * the table to docs/benchmarks.md as a dated section. Run by {@code e2e/bench/report}; CI does not run it.
 */
public final class BenchReport {

    static final Duration WARM_UP = Duration.ofSeconds(5);
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 15));

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cs.root", "..")).toAbsolutePath().normalize();
        Path out = root.resolve("e2e/target/bench-report");
        Path state = root.resolve("e2e/target/bench-stack");
        Files.createDirectories(out);
        deleteRecursively(state);
        Stack stack = Stack.builder(root).state(state).ports(Ports.free()).durable(true).production(true)
                .kafkaClasspath(System.getProperty("java.class.path"))
                .environment("job-service", Map.of("CS_JOBS_TYPES_NOOP_TIMEOUT", "1s",
                        "CS_JOBS_TYPES_NOOP_MAX_ATTEMPTS", "1"))
                // a new tenant's first schedule is due at once; sweeps every second
                .environment("scheduler-service", Map.of("CS_SCHEDULER_SWEEP_INTERVAL", "1s"))
                // one load generator on one address, many tenants: the limits are not what is measured
                .environment("gateway", Map.of("CS_GATEWAY_ADDRESS_LIMIT_PER_SECOND", "1000000",
                        "CS_GATEWAY_ADDRESS_LIMIT_BURST", "1000000",
                        "CS_GATEWAY_RATE_LIMITS_DEFAULT_PER_SECOND", "1000000",
                        "CS_GATEWAY_RATE_LIMITS_DEFAULT_BURST", "1000000"))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stack-stop"));
        System.out.println("starting the stack (prod profile, fsync on) under " + state);
        stack.start();
        Measurements measurements = new Measurements(stack);
        try (ResidentMemory memory = ResidentMemory.sample(stack)) {
            measurements.run();
            measurements.memory(memory.peaks());
        }
        Report report = measurements.report(machine(stack));
        Files.writeString(out.resolve("report.md"), report.markdown());
        Files.writeString(out.resolve("throughput.svg"), report.throughputChart());
        Files.writeString(out.resolve("latency.svg"), report.latencyChart());
        Files.writeString(root.resolve("docs/benchmarks.md"), "\n" + report.datedSection(), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        System.out.println(report.markdown());
        System.out.println("written: " + out + " (report.md, throughput.svg, latency.svg); section added to"
                + " docs/benchmarks.md");
        stack.close();
        System.exit(0);
    }

    /** Cores, memory, JDK, the database's durability: what every figure depends on. */
    private static String machine(Stack stack) throws Exception {
        long memoryKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith(
                "MemTotal:")).map(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0L);
        String durability;
        try (Connection admin = DriverManager.getConnection(stack.postgresAdminUrl("postgres"));
                Statement statement = admin.createStatement();
                ResultSet settings = statement.executeQuery("SELECT current_setting('server_version'),"
                        + " current_setting('fsync'), current_setting('synchronous_commit'),"
                        + " current_setting('full_page_writes')")) {
            settings.next();
            durability = String.format("PostgreSQL %s, fsync %s, synchronous_commit %s, full_page_writes %s",
                    settings.getString(1), settings.getString(2), settings.getString(3), settings.getString(4));
        }
        return String.format(Locale.ROOT, "%d cores, %.1f GiB, JDK %s (%s); %s; load generator, broker, database"
                + " and the five services on the same cores", Runtime.getRuntime().availableProcessors(),
                memoryKib / 1024.0 / 1024.0, System.getProperty("java.version"), System.getProperty("java.vendor"),
                durability);
    }

    static void deleteRecursively(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Tenants with a token each, through the gateway. */
    record Tenant(String id, String token) {

        static List<Tenant> create(Stack stack, int count, List<String> roles) {
            List<Tenant> tenants = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                tenants.add(new Tenant(id, stack.token(id, roles, Duration.ofHours(4))));
            }
            return tenants;
        }

        Map<String, String> json() {
            return Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
        }

        Map<String, String> bearer() {
            return Map.of("Authorization", "Bearer " + token);
        }

        TenantContext context(String role) {
            return new TenantContext(TenantId.parse(id), "bench-user", Set.of(role));
        }
    }

    /** One figure: what was measured, its value, and what it is judged against. */
    record Figure(String name, double value, String unit, String against, double limit, String how) {

        double ratio() {
            return limit > 0 ? value / limit : Double.NaN;
        }
    }

    /** Latency percentiles of one call, in milliseconds. */
    record CallLatency(String call, HttpLoad.Latency latency) {
    }

    /** The report in its three forms. */
    record Report(String date, String machine, List<Figure> figures, List<CallLatency> latencies,
            Map<String, String> services) {

        String table() {
            StringBuilder table = new StringBuilder("| figure | value | against | limit / anchor | ratio | how |\n"
                    + "|---|---|---|---|---|---|\n");
            for (Figure figure : figures) {
                table.append(String.format(Locale.ROOT, "| %s | %s %s | %s | %s | %s | %s |%n", figure.name(),
                        number(figure.value()), figure.unit(), figure.against(),
                        figure.limit() > 0 ? number(figure.limit()) + " " + figure.unit() : "—",
                        percent(figure.ratio()), figure.how()));
            }
            table.append("\n| call (through the gateway unless named direct) | requests | p50 ms | p99 ms | p99.9 ms"
                    + " | max ms | non-2xx |\n|---|---|---|---|---|---|---|\n");
            for (CallLatency call : latencies) {
                HttpLoad.Latency latency = call.latency();
                table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %d |%n",
                        call.call(), latency.count(), latency.p50Millis(), latency.p99Millis(),
                        latency.p999Millis(), latency.maxMillis(), latency.non2xx() + latency.failures()));
            }
            table.append("\n| service | ready after start | peak RSS during the run |\n|---|---|---|\n");
            services.forEach((service, figures) -> table.append("| ").append(service).append(" | ").append(figures)
                    .append(" |\n"));
            return table.toString();
        }

        private static String percent(double ratio) {
            if (!Double.isFinite(ratio)) {
                return "—";
            }
            return String.format(Locale.ROOT, ratio < 0.1 ? "%.1f%%" : "%.0f%%", 100 * ratio);
        }

        String markdown() {
            return "# CloudSentinel headline benchmark, " + date + "\n\n" + "Machine: " + machine + ".\n\n"
                    + "Command: `e2e/bench/report` (all figures in one run; services in the `prod` profile with"
                    + " generated keys). Charts: throughput.svg, latency.svg.\n\n" + table();
        }

        String datedSection() {
            return "## " + date + ": headline figures of the whole suite (`e2e/bench/report`)\n\n" + "Machine: "
                    + machine + ". Services from their packaged jars in the `prod` profile, one run.\n\n" + table();
        }

        String throughputChart() {
            BarChart chart = new BarChart("Throughput against its limit or anchor", "per second");
            for (Figure figure : figures) {
                if (figure.limit() > 0) {
                    chart.group(figure.name(), List.of(new BarChart.Bar("measured", figure.value(),
                            number(figure.value()) + " " + figure.unit()),
                            new BarChart.Bar(figure.against(),
                                    figure.limit(), number(figure.limit()) + " " + figure.unit())));
                }
            }
            return chart.svg();
        }

        String latencyChart() {
            BarChart chart = new BarChart("Latency percentiles per call", "ms");
            for (CallLatency call : latencies) {
                HttpLoad.Latency latency = call.latency();
                chart.group(call.call(), List.of(
                        new BarChart.Bar("p50", latency.p50Millis(), ms(latency.p50Millis())),
                        new BarChart.Bar("p99", latency.p99Millis(), ms(latency.p99Millis())),
                        new BarChart.Bar("p99.9", latency.p999Millis(), ms(latency.p999Millis()))));
            }
            return chart.svg();
        }

        private static String ms(double millis) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }

        static String number(double value) {
            if (!Double.isFinite(value)) {
                return "n/a";
            }
            return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                    : String.format(Locale.ROOT, "%.2f", value);
        }
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    static Map<String, String> orderedServices(Stack stack, Map<String, Long> peaks) {
        Map<String, String> services = new LinkedHashMap<>();
        for (String service : stack.serviceNames()) {
            services.put(service, String.format(Locale.ROOT, "%.1f s | %s MiB", stack.readyIn(service).toMillis()
                    / 1000.0, peaks.containsKey(service) ? Long.toString(peaks.get(service) / 1024) : "n/a"));
        }
        return services;
    }

    static SignedCalls signedAsGateway(Stack stack, String audience) {
        return new SignedCalls(stack.gatewayContextKey(), audience);
    }
}
