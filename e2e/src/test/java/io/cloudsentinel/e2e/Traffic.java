package io.cloudsentinel.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users' calls round after round on a thread of their own, until stopped: how many rounds completed, and what
 * failed (a round that throws, or whose assertion fails, is recorded with its number and the traffic goes on).
 */
final class Traffic implements AutoCloseable {

    /** One round of calls; its number makes keys unique. */
    interface Round {
        void run(int number) throws Exception;
    }

    private final AtomicInteger completed = new AtomicInteger();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopped;

    private Traffic(String name, Round round, Duration pause) {
        thread = new Thread(() -> {
            for (int number = 0; !stopped; number++) {
                try {
                    round.run(number);
                    completed.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    failures.add("round " + number + ": " + e.getMessage());
                }
                try {
                    // paced, so that the rounds spread over the whole window rather than pile up at its start
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "e2e-traffic-" + name);
        thread.setDaemon(true);
    }

    static Traffic start(String name, Duration pause, Round round) {
        Traffic traffic = new Traffic(name, round, pause);
        traffic.thread.start();
        return traffic;
    }

    /** Rounds completed without failure so far. */
    int completed() {
        return completed.get();
    }

    /** Waits until {@code count} rounds have completed in all, or one has failed. */
    void awaitCompleted(int count) {
        await().atMost(Duration.ofSeconds(120)).until(() -> completed.get() >= count || !failures.isEmpty());
    }

    /** Stops after the round in progress; the failures of all rounds. */
    List<String> stop() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(60).toMillis());
        synchronized (failures) {
            return new ArrayList<>(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
