package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/** Two tenants in one table: each sees and changes only its own rows, and PostgreSQL refuses foreign writes. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TenantIsolationTest {

    @Inject
    TenantTransactions transactions;

    @Test
    void eachTenantSeesOnlyItsOwnRows() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        insert(a, "a1", "a2", "a3");
        insert(b, "b1", "b2");

        assertThat(bodies(a)).containsExactly("a1", "a2", "a3");
        assertThat(bodies(b)).containsExactly("b1", "b2");
    }

    @Test
    void updatesAndDeletesReachOnlyTheTenantsOwnRows() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        insert(a, "a1", "a2");
        insert(b, "b1");

        int updated = await(() -> transactions.inTenantSession(b,
                session -> session.createMutationQuery("update Note set body = 'changed by b'").executeUpdate()));
        int deleted = await(() -> transactions.inTenantSession(b,
                session -> session.createMutationQuery("delete from Note").executeUpdate()));

        assertThat(updated).isEqualTo(1);
        assertThat(deleted).isEqualTo(1);
        assertThat(bodies(a)).containsExactly("a1", "a2");
    }

    @Test
    void insertingARowForAnotherTenantIsRefusedByPostgres() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();

        Throwable failure = failureOf(() -> transactions.inTenantSession(a,
                session -> session.persist(Note.of(b.value(), "planted in b")).call(session::flush)));

        assertThat(PgErrors.sqlState(failure)).contains("42501"); // new row violates row-level security policy
        assertThat(bodies(b)).isEmpty();
    }

    @Test
    void movingARowToAnotherTenantIsRefusedByPostgres() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        insert(a, "mine");

        Throwable failure = failureOf(() -> transactions.inTenantSession(a, session -> session
                .createMutationQuery("update Note set tenantId = :other")
                .setParameter("other", b.value())
                .executeUpdate()));

        assertThat(PgErrors.sqlState(failure)).contains("42501");
        assertThat(bodies(a)).containsExactly("mine");
        assertThat(bodies(b)).isEmpty();
    }

    @Test
    void aFailedTransactionWritesNothing() {
        TenantId a = TenantId.random();

        failureOf(() -> transactions.inTenantSession(a, session -> session.persist(Note.of(a.value(), "half"))
                .call(session::flush)
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("fails after the insert")))));

        assertThat(bodies(a)).isEmpty();
    }

    private void insert(TenantId tenant, String... bodies) {
        await(() -> transactions.inTenantSession(tenant, session -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String body : bodies) {
                chain = chain.chain(() -> session.persist(Note.of(tenant.value(), body)));
            }
            return chain;
        }));
    }

    private List<String> bodies(TenantId tenant) {
        return await(() -> transactions.inTenantSession(tenant,
                (Mutiny.Session session) -> session.createQuery("select body from Note order by id", String.class)
                        .getResultList()));
    }
}
