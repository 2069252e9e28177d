package io.cloudsentinel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local stack in one command, without Docker: {@code deploy/local/run [up|stop|status]}. {@code up} starts
 * PostgreSQL, Kafka and every service that exists, prints what to call next and runs until Ctrl-C or
 * {@code deploy/local/run stop} (exit 0); then it stops everything it started, and nothing else.
 */
public final class LocalStack {

    private final LocalSettings settings;
    private final Progress progress;
    private final Path pidFile;
    private final Path childrenFile;

    private LocalStack(LocalSettings settings) {
        this.settings = settings;
        this.progress = new Progress(settings.root);
        this.pidFile = LauncherLifecycle.pidFile(settings.local);
        this.childrenFile = Stack.childrenFile(settings.local);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cs.root", ".")).toAbsolutePath().normalize();
        LocalStack stack = new LocalStack(LocalSettings.load(root));
        String command = args.length == 0 ? "up" : args[0];
        int exit = switch (command) {
            case "up" -> stack.up();
            case "stop" -> stack.stop();
            case "status" -> stack.status();
            case "token" -> stack.token(List.of(args).subList(1, args.length));
            default -> {
                System.err.println("usage: deploy/local/run [up|stop|status|token [tenant-uuid] [role,...] [minutes]]");
                yield 2;
            }
        };
        System.exit(exit);
    }

    private int up() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = launcher();
        if (running.isPresent()) {
            System.err.println("the local stack is already running (launcher pid " + running.get().pid()
                    + "); stop it with deploy/local/run stop");
            return 1;
        }
        stopLeftovers();

        Stack stack = new Stack(settings, progress);
        LauncherLifecycle lifecycle = LauncherLifecycle.begin(settings.local, () -> {
            progress.info("\nstopping the local stack …");
            stack.close();
        });

        progress.info("CloudSentinel local stack (data and logs under .local/)");
        try {
            stack.start();
        } catch (LaunchFailure failure) {
            progress.failed(failure.part, failure.getMessage(), failure.log);
            return 1; // System.exit runs the shutdown hook, which stops what did start
        }
        printNextSteps(stack.kafkaBootstrapServers());
        lifecycle.awaitStopped();
        return 0;
    }

    private void printNextSteps(String kafkaBootstrap) {
        List<ServiceModule> present = ServicesPart.present(settings.root);
        progress.info("");
        progress.info("Ready. What to call next:");
        if (present.isEmpty()) {
            progress.info("  no service modules exist yet; PostgreSQL and Kafka are up for them");
        }
        for (ServiceModule service : present) {
            progress.info(String.format("  %-18s http://127.0.0.1:%d  (health: :%d/q/health, metrics: :%d/q/metrics)",
                    service.name(), settings.port(service), settings.managementPort(service),
                    settings.managementPort(service)));
        }
        progress.info(String.format("  %-18s psql postgresql://cs_app@127.0.0.1:%d/cloudsentinel_budget"
                + "  (passwords in .local/secrets.properties)", "postgres", settings.ports.postgres()));
        progress.info(String.format("  %-18s %s  topics: %s", "kafka", kafkaBootstrap,
                String.join(", ", io.cloudsentinel.platform.kafka.Topics.ALL)));
        if (present.stream().anyMatch(service -> service.name().equals("gateway"))) {
            progress.info("  a dev token       deploy/local/run token [tenant] [roles] [minutes]   (demo tenant "
                    + DevTokens.DEMO_TENANT + ", tenant-admin, 60 min)");
            progress.info("  then             curl -H \"Authorization: Bearer $(deploy/local/run token)\""
                    + " http://127.0.0.1:8080/api/v1/budgets/me");
        }
        progress.info("  logs               .local/logs/");
        progress.info("Stop with Ctrl-C, or from another terminal: deploy/local/run stop");
    }

    /** Prints a dev token for the gateway: tenant (default: the demo tenant), roles, lifetime in minutes. */
    private int token(List<String> args) throws Exception {
        TokenRequest request;
        try {
            request = TokenRequest.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("deploy/local/run token: " + e.getMessage());
            System.err.println(TokenRequest.USAGE);
            return 2;
        }
        System.out.println(settings.tokens().mint(request.tenant(), "dev-user", request.roles(),
                request.lifetime()));
        return 0;
    }

    private int stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = launcher();
        if (running.isEmpty()) {
            int leftovers = stopLeftovers();
            System.out.println(leftovers == 0 ? "the local stack is not running"
                    : "stopped " + leftovers + " process(es) left by a launcher that was killed");
            return 0;
        }
        ProcessHandle launcher = running.get();
        System.out.println("stopping the local stack (launcher pid " + launcher.pid() + ") …");
        if (!LauncherLifecycle.requestStop(settings.local, launcher, Duration.ofSeconds(90))) {
            System.err.println("the launcher did not stop within 90 s; see .local/logs/");
            return 1;
        }
        System.out.println("stopped");
        return 0;
    }

    private int status() {
        Optional<ProcessHandle> running = launcher();
        System.out.println(running.map(p -> "running (launcher pid " + p.pid() + ")").orElse("not running"));
        return running.isPresent() ? 0 : 3;
    }

    /** The launcher recorded in .local/launcher.pid, if that process still is one of ours. */
    private Optional<ProcessHandle> launcher() {
        return readPids(pidFile).stream()
                .map(ProcessHandle::of)
                .flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("cloudsentinel-local")).orElse(false))
                .findFirst();
    }

    /**
     * Processes a killed launcher left behind (it could not run its shutdown hook). Only pids recorded by us whose
     * command line still points into this checkout are stopped.
     */
    private int stopLeftovers() {
        int stopped = 0;
        String marker = settings.root.toString();
        for (long pid : readPids(childrenFile)) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
            if (process.isPresent()) {
                process.get().destroy();
                stopped++;
            }
        }
        deleteQuietly(childrenFile);
        // PostgreSQL runs detached from us (pg_ctl); its postmaster.pid names it.
        List<Long> postmaster = readFirstLine(settings.local.resolve("postgres").resolve("postmaster.pid"));
        for (long pid : postmaster) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
            if (process.isPresent()) {
                process.get().destroy();
                process.get().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
                stopped++;
            }
        }
        return stopped;
    }

    private static List<Long> readFirstLine(Path file) {
        return readPids(file).stream().limit(1).toList();
    }

    private static List<Long> readPids(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> s.matches("\\d+"))
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing to clean up then
        }
    }
}
