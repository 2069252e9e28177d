package io.cloudsentinel.jobs.handlers;

import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.BlockingJobHandler;
import io.cloudsentinel.jobs.handler.JobRun;

/** Busy for {@code payload.millis} whatever interrupts it gets: a handler that ignores its timeout. */
@ApplicationScoped
public class StubbornHandler implements BlockingJobHandler {

    public static final String TYPE = "test_stubborn";
    /** Counted down once a run ends: tests let the stubborn thread go before they end. */
    public static volatile CountDownLatch finished = new CountDownLatch(1);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(JobRun run) {
        long until = System.nanoTime() + run.payload().path("millis").asLong(0) * 1_000_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
            Thread.interrupted();
        }
        finished.countDown();
    }
}
