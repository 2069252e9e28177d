package io.cloudsentinel.scheduler;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.scheduler.service.SweepMetrics;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.cloudsentinel.scheduler.store.DueSchedules;
import io.cloudsentinel.scheduler.store.SweepBatch;
import io.cloudsentinel.testing.PostgresServer;
import io.quarkus.arc.Arc;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Sweepers as separate replicas would run them: each with a connection pool of its own. */
public final class Sweepers {

    private Sweepers() {
    }

    public static Pool newPool(int size) {
        PgConnectOptions options = PgConnectOptions.fromUri(Db.reactiveUrl())
                .setUser(DatabaseBootstrap.APP_ROLE)
                .setPassword(PostgresServer.APP_PASSWORD);
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options)
                .using(Arc.container().instance(Vertx.class).get()).build();
    }

    /** A sweeper on its own pool that publishes to the topic given (tests keep their records apart by topic). */
    public static Sweeper onOwnPool(Pool pool, int batchSize, String topic) {
        return onOwnPool(pool, batchSize, 1_000, 8, topic);
    }

    /** The same with a limit of batches per sweep and of retries after a deadlock. */
    public static Sweeper onOwnPool(Pool pool, int batchSize, int maxBatches, int retries, String topic) {
        var container = Arc.container();
        return new Sweeper(container.instance(TenantTransactions.class).get().onPool(pool),
                container.instance(SweepBatch.class).get(), container.instance(DueSchedules.class).get(),
                container.instance(TierPolicy.class).get(), container.instance(java.time.Clock.class).get(),
                container.instance(SweepMetrics.class).get(), batchSize, maxBatches, retries, topic);
    }
}
