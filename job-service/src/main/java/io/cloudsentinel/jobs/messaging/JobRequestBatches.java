package io.cloudsentinel.jobs.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.JobRequest;
import io.cloudsentinel.jobs.service.JobMetrics;
import io.cloudsentinel.jobs.service.KafkaIntake;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.platform.tracing.SpanTrace;
import io.smallrye.mutiny.Uni;

/**
 * Accepted job requests on their way into the table. Whatever the consumer accepts while one batch is written goes in
 * the next (up to {@link #BATCH} in one statement): a lone record is stored at once, a flood a batch per transaction
 * instead of a transaction per record. SmallRye's batch mode would give the batch too, but a batch is acked or nacked
 * as a whole, and a refusal must dead-letter its own record only; here every record keeps its own ack and nack, and the
 * throttled commit strategy commits each partition's offset up to its oldest record still unanswered.
 * <p>
 * A database failure is retried with backoff until the database is back, neither acked nor refused, so nothing is
 * lost or skipped. Past {@link #WAITING_MAX} unanswered requests the consumer waits for its record's batch.
 */
@ApplicationScoped
public class JobRequestBatches {

    private static final Logger LOG = Logger.getLogger(JobRequestBatches.class);
    /** Requests in one statement at most. */
    static final int BATCH = 500;
    /** Requests accepted and not yet answered past which the consumer waits for the database. */
    static final int WAITING_MAX = 2 * BATCH;
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    /**
     * A request, its record's trace (the consume span's, null while tracing is off) and what to do once it is
     * answered; {@code answered} completes after that.
     */
    private record Waiting(JobRequest request, SpanTrace trace, Consumer<KafkaIntake.Answer> then,
            CompletableFuture<Void> answered) {
    }

    private final KafkaIntake intake;
    private final Worker worker;
    private final JobMetrics metrics;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();

    public JobRequestBatches(KafkaIntake intake, Worker worker, JobMetrics metrics) {
        this.intake = intake;
        this.worker = worker;
        this.metrics = metrics;
    }

    /**
     * Queues the request for the next batch; {@code then} gets its answer once the batch is committed. The Uni
     * completes at once, or, while too many requests are unanswered, when this one is. The job keeps the current
     * span's trace: the consumer calls this in its record's span.
     */
    public Uni<Void> offer(JobRequest request, Consumer<KafkaIntake.Answer> then) {
        Waiting next = new Waiting(request, SpanTrace.current(), then, new CompletableFuture<>());
        int now = unanswered.incrementAndGet();
        waiting.add(next);
        write();
        return now <= WAITING_MAX ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(next.answered());
    }

    private void write() {
        if (waiting.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<Waiting> batch = new ArrayList<>();
        for (Waiting next; batch.size() < BATCH && (next = waiting.poll()) != null;) {
            batch.add(next);
        }
        intake.storeAll(batch.stream().map(Waiting::request).toList(), batch.stream().map(Waiting::trace).toList())
                .onFailure().invoke(failure -> LOG.warnf("could not store %d job requests, retrying: %s",
                        batch.size(), failure.toString()))
                .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_MAX).withJitter(0.2).atMost(Long.MAX_VALUE)
                .subscribe().with(answers -> {
                    metrics.intakeBatch(batch.size());
                    boolean created = false;
                    for (int i = 0; i < batch.size(); i++) {
                        Waiting answered = batch.get(i);
                        KafkaIntake.Answer answer = answers.get(i);
                        created |= answer.stored().filter(stored -> stored.created()).isPresent();
                        try {
                            answered.then().accept(answer);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "answering a stored job request failed");
                        }
                        unanswered.decrementAndGet();
                        answered.answered().complete(null);
                    }
                    writing.set(false);
                    if (created) {
                        worker.wake();
                    }
                    write();
                });
    }
}
