package io.cloudsentinel.e2e.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.cloudsentinel.local.Stack;

/** The services' resident memory (VmRSS from /proc, Linux), sampled every second; the peak of each, in KiB. */
final class ResidentMemory implements AutoCloseable {

    private final Map<String, Long> peaks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-rss");
        thread.setDaemon(true);
        return thread;
    });

    static ResidentMemory sample(Stack stack) {
        ResidentMemory memory = new ResidentMemory();
        memory.sampler.scheduleAtFixedRate(() -> {
            for (String service : stack.serviceNames()) {
                try {
                    long kib = rssKib(stack.pid(service));
                    memory.peaks.merge(service, kib, Math::max);
                } catch (RuntimeException | java.io.IOException gone) {
                    // a service between restarts: the next sample counts
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
        return memory;
    }

    Map<String, Long> peaks() {
        return Map.copyOf(peaks);
    }

    private static long rssKib(long pid) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElse(0L);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
