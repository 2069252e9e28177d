package io.cloudsentinel.jobs.handlers;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One gate per (job, attempt) for {@link GatedHandler}: closed until the test opens it. */
public final class Gates {

    private static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();

    private Gates() {
    }

    static CompletableFuture<Void> of(UUID job, int attempt) {
        return GATES.computeIfAbsent(job + "/" + attempt, key -> new CompletableFuture<>());
    }

    public static void open(UUID job, int attempt) {
        of(job, attempt).complete(null);
    }

    public static void openAll() {
        GATES.values().forEach(gate -> gate.complete(null));
    }
}
