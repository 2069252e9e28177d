package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Pipelined tenant transactions (BEGIN, tenant, first statement in one round trip) may use cached generic plans. They
 * must still see only their tenant, leave nothing on the pooled connection, and end every transaction they begin.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PipelinedTransactionTest {

    private static final String OBSERVE = "SELECT current_setting('app.tenant_id') AS tenant,"
            + " array_agg(tenant_id) AS owners FROM notes";
    private static final String GENERIC_PLANS_SO_FAR = "SELECT generic_plans FROM pg_prepared_statements"
            + " WHERE statement = $1";

    @Inject
    Pool pool;
    @Inject
    TenantIsolationMetrics metrics;
    @Inject
    TenantTransactions transactions;
    @Inject
    Mutiny.SessionFactory sessions;

    record Observation(TenantId expected, String tenant, List<UUID> owners, long genericPlans) {
    }

    @Test
    void interleavedTransactionsOfTwoTenantsSeeOnlyTheirOwnRowsAlsoWithGenericPlans() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        await(() -> transactions.inTenantSession(a, session -> session.persist(Note.of(a.value(), "a"))));
        await(() -> transactions.inTenantSession(b, session -> session.persist(Note.of(b.value(), "b"))));
        TenantTransactions pipelined = transactions.onPool(pool);

        List<Uni<Observation>> work = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            work.add(observe(pipelined, a));
            work.add(observe(pipelined, b));
        }
        List<Observation> observations = await(() -> Uni.join().all(work).andFailFast());

        assertThat(observations).allSatisfy(seen -> {
            assertThat(seen.tenant()).isEqualTo(seen.expected().toString());
            assertThat(seen.owners()).containsOnly(seen.expected().value());
        });
        // the property is worth proving only if PostgreSQL really switched to the cached generic plan
        assertThat(observations).anySatisfy(seen -> assertThat(seen.genericPlans()).isPositive());

        // nothing stays behind on the two connections: no tenant, and planning afresh again outside
        Throwable afterwards = failureOf(() -> sessions.withTransaction(session -> session
                .createQuery("from Note", Note.class).getResultList()));
        assertThat(PgErrors.sqlState(afterwards)).contains(TenantContextMissingException.SQLSTATE);
        for (int i = 0; i < 2; i++) {
            assertThat(await(() -> pool.query("SHOW plan_cache_mode").execute())
                    .iterator().next().getString(0)).isEqualTo("force_custom_plan");
        }
    }

    @Test
    void aStatementLongerThanTheDriversDefaultCacheLimitIsPreparedOnceToo() {
        // Vert.x caches statements of up to 2,048 characters unless told otherwise; budget-service's are ~3,000
        String longStatement = OBSERVE + " /* " + "a readable statement with its comments ".repeat(100) + "*/";
        assertThat(longStatement.length()).isGreaterThan(3_000);
        TenantId tenant = TenantId.random();
        TenantTransactions pipelined = transactions.onPool(pool);

        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            observations.add(await(() -> observe(pipelined, tenant, longStatement)));
        }
        // a statement prepared afresh each time is unnamed: it never shows in pg_prepared_statements
        assertThat(observations.get(observations.size() - 1).genericPlans()).isPositive();
    }

    @Test
    void theWorkDecidesCommitOrRollBackAndAFailureRollsBack() {
        TenantId tenant = TenantId.random();
        TenantTransactions pipelined = transactions.onPool(pool);
        String insert = "INSERT INTO notes (tenant_id, body) VALUES (cs_current_tenant(), $1)";

        int kept = await(() -> pipelined.inTenantPipelined(tenant, insert, Tuple.of("kept"),
                (connection, rows) -> Uni.createFrom().item(TransactionOutcome.commit(rows.rowCount()))));
        int rolledBack = await(() -> pipelined.inTenantPipelined(tenant, insert, Tuple.of("rolled back"),
                (connection, rows) -> Uni.createFrom().item(TransactionOutcome.rollBack(rows.rowCount()))));
        assertThat(List.of(kept, rolledBack)).containsExactly(1, 1);
        failureOf(() -> pipelined.inTenantPipelined(tenant, insert, Tuple.of("failed"),
                (connection, rows) -> connection.preparedQuery(insert).execute(Tuple.of("failed too"))
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("business rule refused")))));
        // the first statement failing (a bad argument) rolls back too
        failureOf(() -> pipelined.inTenantPipelined(tenant, "SELECT 1 / $1", Tuple.of(0),
                (connection, rows) -> Uni.createFrom().item(TransactionOutcome.commit(0))));

        List<String> bodies = await(() -> pipelined.inTenant(tenant, connection -> connection
                .preparedQuery("SELECT body FROM notes ORDER BY id").execute()))
                .stream().map(row -> row.getString("body")).toList();
        assertThat(bodies).containsExactly("kept");
        // every transaction was ended: on a connection returned mid-transaction, a query would run inside the old
        // transaction, whose start (now()) lies before the query's own start
        for (int i = 0; i < 4; i++) {
            assertThat(await(() -> pool.query("SELECT now() = statement_timestamp()").execute())
                    .iterator().next().getBoolean(0)).isTrue();
        }
    }

    @Test
    void aTransactionWhoseCallerHungUpStillEnds() throws Exception {
        TenantId tenant = TenantId.random();
        TenantTransactions pipelined = transactions.onPool(pool);
        // like a client that disconnects while its request is in the database: the subscriber cancels
        var subscription = pipelined.inTenantPipelined(tenant,
                "WITH note AS (INSERT INTO notes (tenant_id, body) VALUES (cs_current_tenant(), 'abandoned') RETURNING id)"
                        + " SELECT pg_sleep(0.3) FROM note",
                Tuple.tuple(),
                (connection, rows) -> Uni.createFrom().item(TransactionOutcome.commit(1)))
                .subscribe().with(ignored -> {
                });
        Thread.sleep(100);
        subscription.cancel();
        Thread.sleep(700);

        // seen from outside the pool: the abandoned transaction has ended (committed, as its work decided) by itself,
        // not been handed, still open, to the next borrower of its connection
        try (Connection admin = PostgresServer.shared().adminConnection(PostgresTestResource.DEFAULT_DATABASE);
                var statement = admin.createStatement()) {
            ResultSet open = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'cs_app'"
                    + " AND xact_start < now() - interval '500 milliseconds'");
            open.next();
            assertThat(open.getLong(1)).isZero();
            ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes WHERE body = 'abandoned' AND tenant_id = '"
                    + tenant + "'");
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    private Uni<Observation> observe(TenantTransactions pipelined, TenantId tenant) {
        return observe(pipelined, tenant, OBSERVE);
    }

    private Uni<Observation> observe(TenantTransactions pipelined, TenantId tenant, String statement) {
        return pipelined.inTenantPipelined(tenant, statement, Tuple.tuple(), (connection, rows) -> {
            Row row = rows.iterator().next();
            UUID[] owners = row.getArrayOfUUIDs("owners");
            return connection.preparedQuery(GENERIC_PLANS_SO_FAR).execute(Tuple.of(statement))
                    .map(plans -> TransactionOutcome.commit(new Observation(tenant, row.getString("tenant"),
                            owners == null ? List.of() : Arrays.asList(owners),
                            plans.size() == 0 ? 0 : plans.iterator().next().getLong(0))));
        });
    }
}
