package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/local/run stop} against a launcher that runs the real lifecycle but starts no parts (PostgreSQL and
 * Kafka would make this minutes, not seconds): a stop that was asked for ends it with 0 once its shutdown hook has
 * run; a failed start still ends it with 1.
 */
class LauncherStopIT {

    @Test
    void aRequestedStopEndsTheLauncherWithZeroAfterItStoppedWhatItStarted(@TempDir Path dir) throws Exception {
        try (ScratchCheckout checkout = ScratchCheckout.in(dir)) {
            Path output = dir.resolve("launcher.out");
            Process launcher = start(checkout, output);
            try {
                awaitLine(output, "waiting");

                ScratchCheckout.Result stop = checkout.run("stop");

                assertThat(stop.exit()).as(stop.err()).isZero();
                assertThat(stop.out()).contains("launcher pid " + launcher.pid(), "stopped");
                assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.exitValue()).as(Files.readString(output)).isZero();
                assertThat(Files.readString(output)).contains("stopped what it started");
                assertThat(checkout.local.resolve("launcher.pid")).doesNotExist();
                assertThat(checkout.local.resolve("stop.request")).doesNotExist();
            } finally {
                launcher.destroyForcibly();
            }
        }
    }

    @Test
    void aLauncherWhoseStartFailedStillExitsNonZero(@TempDir Path dir) throws Exception {
        try (ScratchCheckout checkout = ScratchCheckout.in(dir)) {
            Path output = dir.resolve("launcher.out");
            Process launcher = start(checkout, output, "fail");
            try {
                assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(launcher.exitValue()).isEqualTo(1);
                assertThat(Files.readString(output)).contains("stopped what it started");
            } finally {
                launcher.destroyForcibly();
            }
        }
    }

    /** On the packaged jar, so that run stop takes it for a launcher (its command line names the jar). */
    private static Process start(ScratchCheckout checkout, Path output, String... mode) throws Exception {
        Path testClasses = Path.of(WaitingLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", checkout.launcherJar() + File.pathSeparator + testClasses,
                WaitingLauncher.class.getName(), checkout.root.toString()));
        command.addAll(List.of(mode));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void awaitLine(Path output, String line) {
        Awaitility.await("the launcher prints '" + line + "'").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(output) && Files.readAllLines(output).contains(line));
    }
}
