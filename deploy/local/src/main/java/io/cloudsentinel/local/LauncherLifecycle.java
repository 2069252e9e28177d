package io.cloudsentinel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a running launcher ends. It records its pid in .local/launcher.pid, stops what it started on every exit (a
 * shutdown hook), and exits 0 when {@code deploy/local/run stop} asks it to through .local/stop.request. A request
 * file and not SIGTERM, because a JVM ended by a signal exits 128+signal whatever its hooks do, and a stop someone
 * asked for is a success; a part that does not come up still exits 1.
 */
final class LauncherLifecycle {

    private static final Duration POLL = Duration.ofMillis(100);
    /** A launcher polls every 100 ms; one that does not take the request in this time predates it or hangs. */
    private static final Duration ACKNOWLEDGE = Duration.ofSeconds(5);

    private final Path pidFile;
    private final Path requestFile;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LauncherLifecycle(Path local) {
        this.pidFile = pidFile(local);
        this.requestFile = requestFile(local);
    }

    static Path pidFile(Path local) {
        return local.resolve("launcher.pid");
    }

    private static Path requestFile(Path local) {
        return local.resolve("stop.request");
    }

    /**
     * Makes this process the launcher: {@code stopEverything} runs once on whatever exit comes (a failed start,
     * Ctrl-C, SIGTERM, or a stop request, which exits 0).
     */
    static LauncherLifecycle begin(Path local, Runnable stopEverything) throws IOException {
        LauncherLifecycle lifecycle = new LauncherLifecycle(local);
        // a request left by a stop whose launcher died must not end this one
        Files.deleteIfExists(lifecycle.requestFile);
        Files.writeString(lifecycle.pidFile, Long.toString(ProcessHandle.current().pid()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopEverything.run();
            } finally {
                deleteQuietly(lifecycle.pidFile);
                lifecycle.stopped.countDown();
            }
        }, "local-stack-stop"));
        Thread watcher = new Thread(lifecycle::exitOnRequest, "stop-request");
        watcher.setDaemon(true);
        watcher.start();
        return lifecycle;
    }

    /** Returns once the shutdown hook has stopped everything; the caller's exit then keeps the status that won. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void exitOnRequest() {
        String self = Long.toString(ProcessHandle.current().pid());
        try {
            while (!self.equals(readQuietly(requestFile))) {
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            return;
        }
        deleteQuietly(requestFile); // tells deploy/local/run stop that the request was taken
        System.exit(0); // the shutdown hook stops everything; a status set by an earlier exit still wins
    }

    /**
     * The {@code deploy/local/run stop} side: asks {@code launcher} to stop and waits until it has exited. A launcher
     * that does not take the request in time gets SIGTERM, which still stops it (exit 143).
     *
     * @return false when it still runs after {@code timeout}
     */
    static boolean requestStop(Path local, ProcessHandle launcher, Duration timeout)
            throws IOException, InterruptedException {
        Path request = requestFile(local);
        Path partial = local.resolve("stop.request.partial");
        Files.writeString(partial, Long.toString(launcher.pid()));
        // the launcher polls the file: it must never read half a pid
        Files.move(partial, request, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + ACKNOWLEDGE.toNanos();
        while (Files.exists(request) && launcher.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        if (Files.exists(request)) {
            deleteQuietly(request);
            launcher.destroy();
        }
        try {
            launcher.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !launcher.isAlive();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return null; // no request (yet)
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
