package io.cloudsentinel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The release before this checkout, as the upgrade scenario needs it: its commit (the first word of
 * {@code e2e/previous-release}, or {@code -De2e.previous-release}), which services have migrations it did not have,
 * and those services' jars built from it (git archive, then its own Maven wrapper), once, under
 * {@code e2e/target/previous-release/<commit>}.
 */
final class PreviousRelease {

    private static final List<String> SERVICES_WITH_SCHEMAS = List.of("budget-service", "job-service",
            "scheduler-service", "crypto-service");

    private PreviousRelease() {
    }

    static Path root() {
        return Path.of(System.getProperty("cs.root", "..")).toAbsolutePath().normalize();
    }

    static String commit() throws IOException {
        String given = System.getProperty("e2e.previous-release", "");
        if (!given.isBlank()) {
            return given.strip();
        }
        return Files.readAllLines(root().resolve("e2e/previous-release")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst()
                .map(line -> line.split("\\s+")[0])
                .orElseThrow(() -> new IllegalStateException("e2e/previous-release names no commit"));
    }

    /** Whether this clone holds the commit (a shallow clone may not). */
    static boolean available(String commit) throws Exception {
        return run(root(), root().resolve("e2e/target/git.log"), 1, "git", "cat-file", "-e", commit + "^{commit}") == 0;
    }

    /** The services whose migrations differ between the commit and this checkout. */
    static List<String> servicesWithNewMigrations(String commit) throws Exception {
        List<String> changed = new ArrayList<>();
        for (String service : SERVICES_WITH_SCHEMAS) {
            int differ = run(root(), root().resolve("e2e/target/git.log"), 1, "git", "diff", "--quiet", commit,
                    "--", service + "/src/main/resources/db/migration");
            if (differ == 1) {
                changed.add(service);
            } else if (differ != 0) {
                throw new IllegalStateException("git diff failed: see e2e/target/git.log");
            }
        }
        return changed;
    }

    /** The commit's packaged jar of each service, built from the commit's own sources. */
    static Path build(String commit, List<String> services) throws Exception {
        Path sources = root().resolve("e2e/target/previous-release").resolve(commit);
        if (services.stream().allMatch(service -> Files.exists(jar(sources, service)))) {
            return sources;
        }
        Files.createDirectories(sources);
        Path log = sources.resolveSibling(commit + "-build.log");
        if (run(root(), log, 5, "sh", "-c", "git archive --format=tar " + commit + " | tar -x -C '" + sources + "'") != 0) {
            throw new IllegalStateException("git archive of " + commit + " failed: see " + log);
        }
        List<String> maven = new ArrayList<>(List.of("./mvnw", "-B", "-q", "-Dmaven.test.skip=true", "package",
                "-am", "-pl", String.join(",", services)));
        // offline first: this build has just resolved (nearly) everything the previous release needs
        maven.add("-o");
        if (run(sources, log, 20, maven.toArray(String[]::new)) != 0
                && run(sources, log, 20, maven.subList(0, maven.size() - 1).toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the build of " + commit + " failed: see " + log);
        }
        return sources;
    }

    static Path jar(Path sources, String service) {
        return sources.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static int run(Path directory, Path log, long minutes, String... command) throws Exception {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over " + minutes + " min");
        }
        return process.exitValue();
    }
}
