package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.AttemptOutcome;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.handler.BlockingJobHandler;
import io.cloudsentinel.jobs.handler.FatalJobException;
import io.cloudsentinel.jobs.handler.JobRun;
import io.cloudsentinel.jobs.handler.LeaseLostException;
import io.cloudsentinel.jobs.handler.RetryAfterException;
import io.cloudsentinel.jobs.store.LeaseFence;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs an attempt's handler with its type's timeout, and stops it for real when the timeout fires: the handler's
 * {@code Uni} is cancelled (which aborts a reactive HTTP call in it), a blocking handler's thread is interrupted.
 * A blocking handler that is still running {@code interrupt-grace} after its interrupt is reported stuck; its
 * attempt has ended all the same, so its slot is free, and only its thread stays taken.
 */
@ApplicationScoped
public class AttemptRunner {

    private static final Logger LOG = Logger.getLogger(AttemptRunner.class);

    private final JobHandlers handlers;
    private final TenantTransactions transactions;
    private final LeaseFence fence;
    private final JobMetrics metrics;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final JobsConfig config;
    private final ExecutorService blockingPool;
    private final Clock clock;

    public AttemptRunner(JobHandlers handlers, TenantTransactions transactions, LeaseFence fence, JobMetrics metrics,
            ObjectMapper json, Vertx vertx, JobsConfig config, Clock clock) {
        this.clock = clock;
        this.handlers = handlers;
        this.transactions = transactions;
        this.fence = fence;
        this.metrics = metrics;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        int size = config.worker().blockingThreads();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "job-blocking-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // started now, so that a burst of blocking jobs does not wait for threads to be made while its timeouts run
        pool.prestartAllCoreThreads();
        this.blockingPool = pool;
    }

    @PreDestroy
    void stop() {
        blockingPool.shutdownNow();
    }

    /** Starts the attempt's handler; the attempt ends when it answers, fails or times out. */
    void start(Attempt attempt) {
        JobRun run = new FencedRun(attempt, payload(attempt));
        String type = attempt.job.type();
        Uni<Void> work = handlers.reactive(type).map(handler -> Uni.createFrom().deferred(() -> handler.run(run)))
                .orElseGet(() -> blocking(handlers.blocking(type).orElseThrow(
                        () -> new FatalJobException("no handler for job type " + type)), run, attempt));
        // the timeout counts from the claim, as the deadline in the table does, not from when the claim answered
        Duration elapsed = Duration.between(attempt.job.startedAt(), clock.instant());
        Duration remaining = attempt.settings.timeout().minus(elapsed);
        attempt.running(work
                .ifNoItem().after(remaining.isNegative() || remaining.isZero() ? Duration.ofMillis(1) : remaining)
                .failWith(TimeoutException::new)
                .subscribe().with(
                        done -> attempt.end(AttemptOutcome.of(AttemptOutcome.Kind.COMPLETED)),
                        failure -> attempt.end(outcomeOf(failure, attempt))));
    }

    private AttemptOutcome outcomeOf(Throwable failure, Attempt attempt) {
        if (failure instanceof TimeoutException) {
            metrics.timedOut(attempt.job.type());
            return AttemptOutcome.failed(AttemptOutcome.Kind.TIMED_OUT,
                    new TimeoutException("timed out after " + attempt.settings.timeout()));
        }
        if (failure instanceof FatalJobException fatal) {
            return AttemptOutcome.failed(AttemptOutcome.Kind.FATAL, failure).deadBecause(fatal.reason());
        }
        if (failure instanceof RetryAfterException retry) {
            return AttemptOutcome.failed(AttemptOutcome.Kind.FAILED, failure).retryingNoSoonerThan(retry.delay());
        }
        return AttemptOutcome.failed(AttemptOutcome.Kind.FAILED, failure);
    }

    /** The handler on the bounded blocking pool; cancelling the Uni interrupts its thread. */
    private Uni<Void> blocking(BlockingJobHandler handler, JobRun run, Attempt attempt) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean done = new AtomicBoolean();
            Future<?> task = blockingPool.submit(() -> {
                try {
                    handler.run(run);
                    emitter.complete(null);
                } catch (Throwable failure) {
                    emitter.fail(failure);
                } finally {
                    if (done.getAndSet(true)) {
                        // it had been reported stuck: its thread is back now
                        metrics.unstuck();
                    }
                }
            });
            emitter.onTermination(() -> {
                if (task.isDone()) {
                    return;
                }
                task.cancel(true);
                vertx.setTimer(Math.max(1, config.worker().interruptGrace().toMillis()), timer -> {
                    if (!done.getAndSet(true)) {
                        metrics.stuck(attempt.job.type());
                        LOG.warnf("job %s (%s) ignored its interrupt and still holds a thread: stuck",
                                attempt.job.jobId(), attempt.job.type());
                    }
                });
            });
        });
    }

    private JsonNode payload(Attempt attempt) {
        try {
            return json.readTree(attempt.job.payloadJson());
        } catch (Exception e) {
            throw new IllegalStateException("a stored payload is JSON", e);
        }
    }

    /** What the handler sees of its attempt; its transactions are fenced by the attempt and by the lease. */
    private final class FencedRun implements JobRun {

        private final Attempt attempt;
        private final JsonNode payload;

        FencedRun(Attempt attempt, JsonNode payload) {
            this.attempt = attempt;
            this.payload = payload;
        }

        @Override
        public TenantId tenant() {
            return attempt.job.tenant();
        }

        @Override
        public UUID jobId() {
            return attempt.job.jobId();
        }

        @Override
        public String jobType() {
            return attempt.job.type();
        }

        @Override
        public int attempt() {
            return attempt.job.attempt();
        }

        @Override
        public JsonNode payload() {
            return payload;
        }

        @Override
        public Uni<Void> requireLease(SqlConnection connection) {
            if (attempt.fenced()) {
                return Uni.createFrom().failure(new LeaseLostException(jobId(), attempt()));
            }
            return fence.require(connection, tenant(), jobId(), attempt.job.leaseToken(), attempt());
        }

        @Override
        public <T> Uni<T> inTenant(Function<SqlConnection, Uni<T>> work) {
            return Uni.createFrom().deferred(() -> {
                if (attempt.fenced()) {
                    return Uni.createFrom().failure(new LeaseLostException(jobId(), attempt()));
                }
                return transactions.inTenant(tenant(), connection -> fence
                        .require(connection, tenant(), jobId(), attempt.job.leaseToken(), attempt())
                        .chain(() -> work.apply(connection)));
            });
        }
    }
}
