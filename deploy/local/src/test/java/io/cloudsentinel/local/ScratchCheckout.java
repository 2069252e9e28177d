package io.cloudsentinel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away checkout for the *IT tests: this module's run script, copied as it is, next to a link to its packaged
 * target/. The script then works as in the real checkout, but its .local/ (keys, secrets, pid files) lands in a
 * temporary directory instead of the developer's.
 */
final class ScratchCheckout implements AutoCloseable {

    /** What a finished command printed. */
    record Result(int exit, String out, String err) {
    }

    final Path root;
    final Path local;

    private ScratchCheckout(Path root) {
        this.root = root;
        this.local = root.resolve(".local");
    }

    /** failsafe passes the module's directories; by hand, the working directory is deploy/local as under Maven. */
    static ScratchCheckout in(Path dir) throws IOException {
        Path module = Path.of(System.getProperty("local.module", "")).toAbsolutePath();
        Path target = Path.of(System.getProperty("local.target", module.resolve("target").toString()))
                .toAbsolutePath();
        Path scripts = Files.createDirectories(dir.resolve("deploy/local"));
        Files.copy(module.resolve("run"), scripts.resolve("run"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(scripts.resolve("target"), target);
        return new ScratchCheckout(dir);
    }

    /** Removes the link to target/ itself, so that cleaning the temporary directory never reaches into target/. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(root.resolve("deploy/local/target"));
    }

    Path launcherJar() {
        return root.resolve("deploy/local/target/cloudsentinel-local.jar");
    }

    /** Runs {@code deploy/local/run args…} from the checkout's root, as a person would. */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("deploy/local/run"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(root, "run", ".out");
        Path err = Files.createTempFile(root, "run", ".err");
        Process process = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/local/run " + String.join(" ", args) + " did not finish in 2 min");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
