package io.cloudsentinel.jobs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a run's CPU went when everything shares two cores: this JVM's threads by part (the in-JVM Kafka broker, the
 * benchmark's load and reader, and the service: all the rest), the JVM's own work (GC, JIT: the process's CPU beyond
 * its live threads'), and the rest of the machine (PostgreSQL), from the JVM's counters and Linux's /proc/stat.
 */
record CpuUse(Map<Long, Long> threadNanos, Map<Long, String> threadNames, long processNanos, long machineNanos) {

    /** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every common kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** The client id of the benchmark's producer, so that its network thread is told from the service's. */
    static final String LOAD_CLIENT = "bench-load";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static CpuUse now() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null) {
                long nanos = THREADS.getThreadCpuTime(thread.getThreadId());
                if (nanos >= 0) {
                    cpu.put(thread.getThreadId(), nanos);
                    names.put(thread.getThreadId(), thread.getThreadName());
                }
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new CpuUse(cpu, names, process, machineBusyNanos());
    }

    /**
     * CPU per job by part between two readings; threads that ended in between count as the JVM's own, the machine's
     * rest is everything outside this JVM.
     */
    static String perJob(CpuUse from, CpuUse to, long jobs) {
        if (jobs <= 0) {
            return "CPU per job: no job";
        }
        Map<String, Long> byPart = new HashMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> thread : to.threadNanos.entrySet()) {
            long used = thread.getValue() - from.threadNanos.getOrDefault(thread.getKey(), 0L);
            threads += used;
            byPart.merge(part(to.threadNames.get(thread.getKey())), used, Long::sum);
        }
        long process = to.processNanos - from.processNanos;
        String machine = from.machineNanos < 0 ? "PostgreSQL: not measured (no /proc/stat)"
                : String.format("PostgreSQL (the rest of the machine) %,d µs",
                        Math.max(0, to.machineNanos - from.machineNanos - process) / 1_000 / jobs);
        return String.format("CPU per job: service %,d µs, Kafka broker %,d µs, load and reader %,d µs, JVM's own"
                + " (GC, JIT, threads that ended) %,d µs, %s", byPart.getOrDefault("service", 0L) / 1_000 / jobs,
                byPart.getOrDefault("broker", 0L) / 1_000 / jobs, byPart.getOrDefault("load", 0L) / 1_000 / jobs,
                Math.max(0, process - threads) / 1_000 / jobs, machine);
    }

    private static String part(String thread) {
        if (thread.equals("main") || thread.equals("jobs-events-reader") || thread.contains(LOAD_CLIENT)
                || thread.startsWith("jdbc-load")) {
            return "load";
        }
        boolean kafkaClient = thread.startsWith("kafka-producer-network-thread")
                || thread.startsWith("kafka-coordinator-heartbeat-thread") || thread.startsWith("smallrye-kafka");
        if (!kafkaClient && (thread.contains("kafka") || thread.startsWith("quorum-controller")
                || thread.startsWith("ExpirationReaper") || thread.startsWith("raft") || thread.contains("broker"))) {
            return "broker";
        }
        return "service";
    }

    private static long machineBusyNanos() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
