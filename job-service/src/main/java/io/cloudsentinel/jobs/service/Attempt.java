package io.cloudsentinel.jobs.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.cloudsentinel.jobs.AttemptOutcome;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.store.JobClaim;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One attempt this worker runs. It ends exactly once, whichever comes first: the handler's answer, its timeout, a
 * cancellation, a lost lease, or shutdown. From then on it is fenced: its handler's transactions are refused here
 * already, before the database fence refuses them too.
 */
final class Attempt {

    final JobClaim.Claimed job;
    final JobTypes.Settings settings;
    final long startedNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Consumer<AttemptOutcome> onEnd;
    private volatile Cancellable work;

    Attempt(JobClaim.Claimed job, JobTypes.Settings settings, Consumer<AttemptOutcome> onEnd) {
        this.job = job;
        this.settings = settings;
        this.onEnd = onEnd;
    }

    void running(Cancellable work) {
        this.work = work;
        if (ended.get()) {
            work.cancel();
        }
    }

    boolean fenced() {
        return ended.get();
    }

    /** Ends the attempt with the outcome, unless it ended already; stops the handler's work if it still runs. */
    boolean end(AttemptOutcome outcome) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        Cancellable running = work;
        if (running != null) {
            running.cancel();
        }
        onEnd.accept(outcome);
        return true;
    }
}
