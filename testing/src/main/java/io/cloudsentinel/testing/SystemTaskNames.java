package io.cloudsentinel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The system tasks a module's code names: every {@code new SystemTask("name")} in its sources. A service test holds
 * them against the grants of its database ({@code cs_system_task_grants}), so that a task added without its grant
 * fails there, not in production on the first row it touches.
 */
public final class SystemTaskNames {

    private static final Pattern CONSTRUCTION = Pattern.compile("new\\s+SystemTask\\s*\\(");
    private static final Pattern NAMED = Pattern.compile("new\\s+SystemTask\\s*\\(\\s*\"([^\"]*)\"\\s*\\)");

    private SystemTaskNames() {
    }

    /**
     * The names under {@code sources} (a module's {@code src/main/java}, relative to the module directory the tests
     * run in). Fails when a construction does not name its task with a literal, which this could not read.
     */
    public static Set<String> in(Path sources) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            // SystemTask.java itself copies a name (forOperator)
            for (Path file : files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.getFileName().toString().equals("SystemTask.java")).toList()) {
                String code = Files.readString(file);
                long constructions = CONSTRUCTION.matcher(code).results().count();
                Matcher named = NAMED.matcher(code);
                long literal = 0;
                while (named.find()) {
                    names.add(named.group(1));
                    literal++;
                }
                if (literal != constructions) {
                    throw new IllegalStateException(file + " makes a SystemTask without a literal name: name it as"
                            + " new SystemTask(\"the-name\"), so that its grants can be checked");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
