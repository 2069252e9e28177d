package io.cloudsentinel.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.jobs.store.AttemptEnd;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.arc.Arc;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The claim and end statements as a worker replica runs them, on a pool of its own, driven by the test one round at
 * a time: what the worker does, without its timers, so that rounds can be counted.
 */
public final class Claimers {

    private static final SystemTask TASK = new SystemTask("jobs-test-claimer");

    private final TenantTransactions transactions;
    private final JobClaim claim;
    private final AttemptEnd end;
    private final List<String> types;

    private Claimers(TenantTransactions transactions, List<String> types) {
        var container = Arc.container();
        this.transactions = transactions;
        this.claim = container.instance(JobClaim.class).get();
        this.end = container.instance(AttemptEnd.class).get();
        this.types = types;
    }

    /** A claimer on its own pool, as another replica would be. */
    public static Claimers onOwnPool(Pool pool, String... types) {
        return new Claimers(Arc.container().instance(TenantTransactions.class).get().onPool(pool), List.of(types));
    }

    public static Pool newPool(int size) {
        PgConnectOptions options = PgConnectOptions.fromUri(Db.reactiveUrl())
                .setUser(DatabaseBootstrap.APP_ROLE)
                .setPassword(PostgresServer.APP_PASSWORD);
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options)
                .using(Arc.container().instance(Vertx.class).get()).build();
    }

    /** One claim of up to {@code freeSlots} jobs, as worker {@code worker}. */
    public List<JobClaim.Claimed> claim(int freeSlots, String worker) {
        return claim(freeSlots, freeSlots, worker);
    }

    /** The same, each type limited to {@code typeFree} of them (a type's concurrency on this replica). */
    public List<JobClaim.Claimed> claim(int freeSlots, int typeFree, String worker) {
        JobClaim.Request request = new JobClaim.Request(freeSlots, types, types.stream().map(type -> 30.0).toList(),
                types.stream().map(type -> typeFree).toList(), worker, 30, 5);
        return Reactive.await(() -> transactions.asSystem(TASK,
                connection -> claim.claim(connection, request, Instant.now())));
    }

    /** Ends the attempts as completed; answers the lease tokens that still held their lease. */
    public Set<UUID> complete(List<JobClaim.Claimed> claimed) {
        List<AttemptEnd.End> ends = claimed.stream()
                .map(job -> AttemptEnd.End.completed(job.tenant(), job.jobId(), job.leaseToken())).toList();
        return Reactive.await(() -> transactions.asSystem(TASK, connection -> end.end(connection, ends,
                Instant.now())));
    }
}
