package io.cloudsentinel.jobs.service;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.AttemptOutcome;
import io.cloudsentinel.jobs.AttemptVerdict;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.store.AttemptEnd;
import io.cloudsentinel.jobs.store.ExpiredLeases;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.jobs.store.LeaseHeartbeat;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * Claims due jobs into this replica's free slots, runs them, and ends their attempts. Ends are batched: whatever
 * ended while the last batch was written goes in the next statement, and every batch claims again at once. Leases are
 * extended by one heartbeat statement for all running attempts, which also brings cancellations; expired leases of
 * any replica are rescued. On shutdown it stops claiming, lets running jobs finish up to the deadline, then gives
 * the rest back so that another replica takes them at once.
 */
@ApplicationScoped
public class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class);
    private static final SystemTask CLAIM = new SystemTask("job-claim");
    private static final SystemTask END = new SystemTask("job-end");
    private static final SystemTask HEARTBEAT = new SystemTask("job-heartbeat");
    private static final SystemTask RESCUE = new SystemTask("job-rescue");
    /** Attempts ended in one statement at most. */
    private static final int END_BATCH = 500;
    private static final int RESCUE_BATCH = 500;
    private static final AttemptOutcome LEASE_EXPIRED = new AttemptOutcome(AttemptOutcome.Kind.LEASE_EXPIRED,
            Optional.of("lease expired"), Optional.empty());

    private final TenantTransactions transactions;
    private final JobClaim claim;
    private final AttemptEnd attemptEnd;
    private final LeaseHeartbeat heartbeat;
    private final ExpiredLeases expiredLeases;
    private final AttemptRunner runner;
    private final JobTypes types;
    private final JobMetrics metrics;
    private final JobsConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final String name;
    private final Random random = new Random();

    private final Map<UUID, Attempt> running = new ConcurrentHashMap<>();
    private final Queue<Ending> endings = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** Set by whoever asks for a claim; a claim that ends with it set claims again (the ask came while it ran). */
    private final AtomicBoolean claimWanted = new AtomicBoolean();
    private final AtomicBoolean ending = new AtomicBoolean();
    /** One heartbeat at a time: one that waits (a lock, the pool) must not have the next ones queue behind it. */
    private final AtomicBoolean beating = new AtomicBoolean();
    private volatile boolean accepting;
    private final List<Long> timers = new ArrayList<>();

    /** An attempt that ended here, waiting to be written. */
    private record Ending(Attempt attempt, AttemptEnd.End end) {
    }

    public Worker(TenantTransactions transactions, JobClaim claim, AttemptEnd attemptEnd, LeaseHeartbeat heartbeat,
            ExpiredLeases expiredLeases, AttemptRunner runner, JobTypes types, JobMetrics metrics, JobsConfig config,
            Clock clock, Vertx vertx) {
        this.transactions = transactions;
        this.claim = claim;
        this.attemptEnd = attemptEnd;
        this.heartbeat = heartbeat;
        this.expiredLeases = expiredLeases;
        this.runner = runner;
        this.types = types;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.name = config.worker().name().orElseGet(Worker::hostName) + "-" + UUID.randomUUID().toString()
                .substring(0, 8);
    }

    void onStart(@Observes StartupEvent started) {
        if (config.worker().enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent stopping) {
        stop(config.worker().shutdownDeadline());
    }

    /** Starts claiming, beating and rescuing (tests start workers themselves). */
    public synchronized void start() {
        if (accepting) {
            return;
        }
        accepting = true;
        JobsConfig.Worker settings = config.worker();
        timers.add(vertx.setPeriodic(settings.pollInterval().toMillis(), timer -> claimMore()));
        timers.add(vertx.setPeriodic(settings.heartbeatInterval().toMillis(), timer -> beat()));
        timers.add(vertx.setPeriodic(settings.rescueInterval().toMillis(), timer -> rescue()));
        claimMore();
    }

    /**
     * Stops claiming, waits up to {@code deadline} for running attempts to end, and gives the rest back. Blocks the
     * caller (shutdown, tests).
     */
    public void stop(Duration deadline) {
        synchronized (this) {
            if (!accepting) {
                return;
            }
            accepting = false;
            timers.forEach(vertx::cancelTimer);
            timers.clear();
        }
        long until = System.nanoTime() + deadline.toNanos();
        while (!running.isEmpty() && System.nanoTime() < until) {
            pause();
        }
        running.values().forEach(attempt -> attempt.end(AttemptOutcome.of(AttemptOutcome.Kind.RELEASED)));
        long flushUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((!running.isEmpty() || !endings.isEmpty()) && System.nanoTime() < flushUntil) {
            writeEnds();
            pause();
        }
        if (!endings.isEmpty()) {
            // the database is gone: the leases expire and the rescuer of another replica ends these attempts
            LOG.warnf("%d attempt ends could not be written before shutdown", endings.size());
            endings.clear();
            running.clear();
        }
    }

    /** The attempts running here now. */
    public int runningNow() {
        return running.size();
    }

    public String name() {
        return name;
    }

    /** Claims now, rather than at the next poll: jobs were stored that may be due. */
    public void wake() {
        claimMore();
    }

    private void claimMore() {
        claimWanted.set(true);
        int free = config.worker().slots() - running.size();
        if (!accepting || free <= 0 || !claiming.compareAndSet(false, true)) {
            return;
        }
        claimWanted.set(false);
        int take = Math.min(free, config.worker().claimBatch());
        List<String> names = new ArrayList<>(types.names());
        JobClaim.Request request = new JobClaim.Request(take, names,
                names.stream().map(type -> seconds(types.of(type).timeout())).toList(),
                names.stream().map(this::freeOf).toList(), name, seconds(leaseSpan()),
                seconds(config.worker().leaseGrace()));
        transactions.asSystem(CLAIM, connection -> claim.claim(connection, request, clock.instant()))
                .subscribe().with(claimed -> {
                    claimed.forEach(this::launch);
                    claiming.set(false);
                    if (claimed.size() == take || claimWanted.get()) {
                        claimMore();
                    }
                }, failure -> {
                    claiming.set(false);
                    LOG.warnf("claim failed: %s", failure.getMessage());
                });
    }

    /** The slots of this replica the type may still take: its own concurrency, or all that are free. */
    private int freeOf(String type) {
        int free = config.worker().slots() - running.size();
        return types.of(type).concurrency().map(limit -> Math.min(free, limit - (int) running.values().stream()
                .filter(attempt -> attempt.job.type().equals(type)).count())).orElse(free);
    }

    private void launch(JobClaim.Claimed job) {
        metrics.claimed(job.type());
        Attempt attempt = new Attempt(job, types.of(job.type()), outcome -> ended(job, outcome));
        running.put(job.leaseToken(), attempt);
        runner.start(attempt);
    }

    private void ended(JobClaim.Claimed job, AttemptOutcome outcome) {
        Attempt attempt = running.get(job.leaseToken());
        AttemptVerdict.Verdict verdict = AttemptVerdict.of(outcome, job.attempt(), job.maxAttempts(),
                types.of(job.type()), clock.instant(), random);
        endings.add(new Ending(attempt, AttemptEnd.End.after(job.tenant(), job.jobId(), job.leaseToken(), outcome,
                verdict)));
        writeEnds();
    }

    /** Writes the waiting ends, a batch at a time, then claims into the slots they freed. */
    private void writeEnds() {
        if (endings.isEmpty() || !ending.compareAndSet(false, true)) {
            return;
        }
        List<Ending> batch = new ArrayList<>();
        for (Ending next; batch.size() < END_BATCH && (next = endings.poll()) != null;) {
            batch.add(next);
        }
        transactions.asSystem(END, connection -> attemptEnd.end(connection,
                batch.stream().map(Ending::end).toList(), clock.instant()))
                .subscribe().with(ended -> {
                    for (Ending done : batch) {
                        Attempt attempt = running.remove(done.end().leaseToken());
                        String type = done.attempt() == null ? "unknown" : done.attempt().job.type();
                        if (!ended.contains(done.end().leaseToken())) {
                            // the lease was lost before this end was written: the end changed nothing
                            metrics.leaseLost(type);
                        } else {
                            metrics.ended(type, done.end().outcome(), attempt == null ? Duration.ZERO
                                    : Duration.ofNanos(System.nanoTime() - attempt.startedNanos));
                            done.end().deadReason().ifPresent(reason -> metrics.deadLettered(type, reason));
                        }
                    }
                    ending.set(false);
                    writeEnds();
                    claimMore();
                }, failure -> {
                    // nothing was written: the ends go back in the queue for the next batch
                    LOG.warnf("ending %d attempts failed: %s", batch.size(), failure.getMessage());
                    endings.addAll(batch);
                    ending.set(false);
                    vertx.setTimer(200, timer -> writeEnds());
                });
    }

    /** Extends the leases of every running attempt; stops those that lost it and those a user cancelled. */
    private void beat() {
        List<Attempt> attempts = running.values().stream().filter(attempt -> !attempt.fenced()).toList();
        if (attempts.isEmpty() || !beating.compareAndSet(false, true)) {
            return;
        }
        List<LeaseHeartbeat.Held> held = attempts.stream().map(attempt -> new LeaseHeartbeat.Held(
                attempt.job.tenant().value(), attempt.job.jobId(), attempt.job.leaseToken())).toList();
        transactions.asSystem(HEARTBEAT, connection -> heartbeat.beat(connection, held, clock.instant(),
                seconds(leaseSpan())))
                .eventually(() -> beating.set(false))
                .subscribe().with(kept -> {
                    for (Attempt attempt : attempts) {
                        Boolean cancel = kept.get(attempt.job.leaseToken());
                        if (cancel == null) {
                            LOG.warnf("job %s lost its lease: its attempt %d is stopped", attempt.job.jobId(),
                                    attempt.job.attempt());
                            attempt.end(AttemptOutcome.of(AttemptOutcome.Kind.LEASE_EXPIRED));
                        } else if (cancel) {
                            attempt.end(AttemptOutcome.of(AttemptOutcome.Kind.CANCELLED));
                        }
                    }
                }, failure -> LOG.warnf("heartbeat failed: %s", failure.getMessage()));
    }

    /** Ends the attempts whose lease expired, on any replica: retried, or dead when they may not be. */
    private void rescue() {
        transactions.asSystem(RESCUE, connection -> expiredLeases.lock(connection, clock.instant(), RESCUE_BATCH)
                .chain(expired -> {
                    Instant now = clock.instant();
                    List<AttemptEnd.End> ends = expired.stream().filter(job -> types.knows(job.type()))
                            .map(job -> {
                                AttemptVerdict.Verdict verdict = AttemptVerdict.of(
                                        AttemptOutcome.Kind.LEASE_EXPIRED, job.attempt(), job.maxAttempts(),
                                        types.of(job.type()), now, random);
                                return AttemptEnd.End.after(job.tenant(), job.jobId(), job.leaseToken(),
                                        LEASE_EXPIRED, verdict);
                            }).toList();
                    return attemptEnd.end(connection, ends, now);
                }))
                .subscribe().with(rescued -> {
                    if (!rescued.isEmpty()) {
                        LOG.infof("system task %s rescued %d attempts whose lease expired", RESCUE.name(),
                                rescued.size());
                        claimMore();
                    } else {
                        LOG.debugf("system task %s found no expired lease", RESCUE.name());
                    }
                }, failure -> LOG.warnf("rescue failed: %s", failure.getMessage()));
    }

    /** How long a lease lasts without a heartbeat: three beats and the grace. */
    private Duration leaseSpan() {
        return config.worker().heartbeatInterval().multipliedBy(3);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }
}
