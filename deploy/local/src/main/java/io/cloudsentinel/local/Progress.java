package io.cloudsentinel.local;

import java.nio.file.Path;

/** What the launcher tells the person at the terminal: one line when a part starts, one when it is ready. */
final class Progress {

    private final Path root;

    Progress(Path root) {
        this.root = root;
    }

    long start(String part, String what) {
        System.out.printf("  … %-18s %s%n", part, what);
        return System.nanoTime();
    }

    void ready(String part, long startedAt, String what) {
        System.out.printf("  ✓ %-18s %s (%.1f s)%n", part, what, (System.nanoTime() - startedAt) / 1e9);
    }

    void failed(String part, String reason, Path log) {
        System.err.printf("  ✗ %-18s %s%n", part, reason);
        if (log != null) {
            System.err.printf("    %-18s log: %s%n", "", root.relativize(log.toAbsolutePath()));
        }
    }

    void info(String line) {
        System.out.println(line);
    }
}
