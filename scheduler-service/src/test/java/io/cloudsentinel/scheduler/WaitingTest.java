package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Tests wait for a condition in one way, Awaitility ({@code waitAtMost(…).until(…)}), which names what it waited for
 * when it gives up. A sleep or a deadline of its own in any test of this module turns this red.
 */
class WaitingTest {

    private static final Path TESTS = Path.of("src/test/java");
    /** Sleeping, and clock arithmetic that makes a deadline; measuring a duration (now - started) is fine. */
    private static final List<Pattern> HAND_ROLLED = List.of(
            Pattern.compile("Thread\\s*\\.\\s*sleep\\s*\\("),
            Pattern.compile("\\.\\s*sleep\\s*\\("),
            Pattern.compile("LockSupport\\s*\\.\\s*park"),
            Pattern.compile("System\\s*\\.\\s*(currentTimeMillis|nanoTime)\\s*\\(\\s*\\)\\s*\\+"),
            Pattern.compile("\\+\\s*System\\s*\\.\\s*(currentTimeMillis|nanoTime)\\s*\\("),
            Pattern.compile("(currentTimeMillis|nanoTime)\\s*\\(\\s*\\)\\s*[<>]=?\\s*\\w*[dD]eadline"));

    @Test
    void noTestSleepsOrKeepsADeadlineOfItsOwn() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(TESTS)) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                if (source.getFileName().toString().equals("WaitingTest.java")) {
                    continue; // the patterns above
                }
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern pattern : HAND_ROLLED) {
                        if (pattern.matcher(lines.get(i)).find()) {
                            found.add(TESTS.relativize(source) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(found).as("wait with Awaitility instead").isEmpty();
    }

    @Test
    void thePatternsCatchWhatTheyAreFor() {
        List<String> handRolled = List.of("Thread.sleep(100);", "TimeUnit.MILLISECONDS.sleep(5);",
                "long deadline = System.nanoTime() + patience.toNanos();",
                "long until = System.currentTimeMillis() + 30_000;",
                "while (System.nanoTime() < deadline) {");
        for (String line : handRolled) {
            assertThat(HAND_ROLLED).as(line).anyMatch(pattern -> pattern.matcher(line).find());
        }
        String measuring = "return (System.nanoTime() - started) / 1e9;";
        assertThat(HAND_ROLLED).noneMatch(pattern -> pattern.matcher(measuring).find());
    }
}
