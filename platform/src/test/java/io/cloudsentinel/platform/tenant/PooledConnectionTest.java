package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool has two connections (see application.properties). Tenant settings must never travel with a connection
 * from one transaction to the next.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PooledConnectionTest {

    private static final int TRANSACTIONS_PER_TENANT = 600;

    @Inject
    TenantTransactions transactions;
    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    MeterRegistry registry;

    /** What one transaction saw: the tenant PostgreSQL reported and the owners of the rows it could read. */
    record Observation(UUID expected, String currentTenant, Set<UUID> rowOwners) {
    }

    @Test
    void aTransactionWhoseCallerHungUpEndsAsItsWorkDecided() throws Exception {
        TenantId tenant = TenantId.random();
        // like a client that disconnects while its request is in the database: the subscriber cancels mid-work
        var subscription = transactions.inTenantSession(tenant, session -> session.createNativeQuery("SELECT pg_sleep(0.3)")
                .getSingleResult()
                .chain(() -> session.persist(Note.of(tenant.value(), "written after the hang-up"))))
                .subscribe().with(ignored -> {
                });
        Thread.sleep(100);
        subscription.cancel();
        Thread.sleep(700);

        // the work ran to its end and committed, on an open session (cut off, it failed on a closed session and
        // Mutiny dropped the error: logged as ERROR on every client disconnect)
        List<String> bodies = await(() -> transactions.inTenantSession(tenant, session -> session
                .createQuery("from Note", Note.class).getResultList()))
                .stream().map(note -> note.body).toList();
        assertThat(bodies).containsExactly("written after the hang-up");
    }

    @Test
    void interleavedTransactionsOfTwoTenantsSeeOnlyTheirOwnRows() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        await(() -> transactions.inTenantSession(a, session -> session.persist(Note.of(a.value(), "a"))));
        await(() -> transactions.inTenantSession(b, session -> session.persist(Note.of(b.value(), "b"))));

        // All 1,200 transactions are started at once; they queue on the two connections and interleave.
        List<Uni<Observation>> work = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS_PER_TENANT; i++) {
            work.add(observe(a));
            work.add(observe(b));
        }
        List<Observation> observations = await(() -> Uni.join().all(work).andFailFast());

        assertThat(observations).hasSize(2 * TRANSACTIONS_PER_TENANT);
        assertThat(observations).allSatisfy(seen -> {
            assertThat(seen.currentTenant()).isEqualTo(seen.expected().toString());
            assertThat(seen.rowOwners()).containsExactly(seen.expected());
        });

        Throwable afterwards = failureOf(() -> sessions.withTransaction(session -> session
                .createQuery("from Note", Note.class).getResultList()));
        assertThat(PgErrors.sqlState(afterwards)).contains(TenantContextMissingException.SQLSTATE);
    }

    @Test
    void theSystemPathSeesEveryTenantIsCountedAndLeavesNothingBehind() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        await(() -> transactions.inTenantSession(a, session -> session.persist(Note.of(a.value(), "a"))));
        await(() -> transactions.inTenantSession(b, session -> session.persist(Note.of(b.value(), "b"))));
        SystemTask sweep = new SystemTask("test-sweep");
        double before = registry.counter("cs.system.work", "task", sweep.name()).count();

        List<UUID> owners = await(() -> transactions.asSystem(sweep, connection -> connection
                .preparedQuery("SELECT DISTINCT tenant_id FROM notes WHERE tenant_id IN ($1, $2)")
                .execute(Tuple.of(a.value(), b.value()))
                .map(rows -> {
                    List<UUID> seen = new java.util.ArrayList<>();
                    rows.forEach(row -> seen.add(row.getUUID(0)));
                    return seen;
                })));

        assertThat(owners).containsExactlyInAnyOrder(a.value(), b.value());
        assertThat(registry.counter("cs.system.work", "task", sweep.name()).count()).isEqualTo(before + 1);
        for (int i = 0; i < 6; i++) {
            String role = await(() -> transactions.inTenantSession(a, session -> session
                    .createNativeQuery("SELECT current_user || '/' || coalesce(current_setting('app.system_task', true), '')",
                            String.class)
                    .getSingleResult()));
            assertThat(role).isEqualTo("cs_app/");
        }
    }

    private Uni<Observation> observe(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> session
                .createNativeQuery("SELECT current_setting('app.tenant_id', true)", String.class)
                .getSingleResult()
                .chain(current -> session.createQuery("select tenantId from Note", UUID.class)
                        .getResultList()
                        .map(owners -> new Observation(tenant.value(), current, Set.copyOf(owners)))));
    }
}
