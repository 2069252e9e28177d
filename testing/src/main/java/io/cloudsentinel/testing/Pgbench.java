package io.cloudsentinel.testing;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench as an optional cross-check of a physical limit measured with {@link JdbcLoad}: it comes from Debian's
 * postgresql-client, not with the embedded PostgreSQL, so a benchmark runs it only when it is on the PATH. Reads its
 * figures; prints nothing, asserts nothing.
 */
public final class Pgbench {

    /** What a run measured: NaN transactions per second when pgbench printed none (it failed: see the output). */
    public record Result(double transactionsPerSecond, long failed, String output) {
    }

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    private Pgbench() {
    }

    /** pgbench from the PATH, if there is one. */
    public static Optional<Path> onPath() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return List.of(path.split(File.pathSeparator)).stream().filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, "pgbench")).filter(Files::isExecutable).findFirst();
    }

    /**
     * {@code pgbench -n -M prepared -c clients -j threads -T duration -D name=value... -f script} against the
     * database of the JDBC URL, as the user given (the password through the environment, never the command line).
     */
    public static Result run(Path pgbench, String jdbcUrl, String user, String password, int clients, int threads,
            Duration duration, Map<String, String> variables, String script) throws Exception {
        Path file = Files.createTempFile("bench-", ".pgbench");
        Files.writeString(file, script);
        URI database = URI.create(jdbcUrl.substring("jdbc:".length()));
        List<String> command = new ArrayList<>(List.of(pgbench.toString(), "-n", "-M", "prepared", "-c",
                Integer.toString(clients), "-j", Integer.toString(threads), "-T", Long.toString(duration.toSeconds())));
        variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        command.addAll(List.of("-f", file.toString(), "-h", database.getHost(), "-p",
                Integer.toString(database.getPort()), "-U", user, database.getPath().substring(1)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Files.delete(file);
        return parse(output);
    }

    static Result parse(String output) {
        Matcher tps = TPS.matcher(output);
        Matcher failed = FAILED.matcher(output);
        return new Result(tps.find() ? Double.parseDouble(tps.group(1)) : Double.NaN,
                failed.find() ? Long.parseLong(failed.group(1)) : 0, output);
    }
}
