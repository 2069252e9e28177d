package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.TestDatabase;
import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Tenant work without context fails with tenant-context-missing: never zero rows. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class MissingTenantContextTest {

    @Inject
    TenantTransactions transactions;
    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    MeterRegistry registry;

    @Test
    void thePlatformApiRefusesTenantWorkWithoutATenantAndCountsIt() {
        double before = missingCount();

        Throwable failure = failureOf(() -> transactions.inTenantSession(null,
                session -> session.createQuery("from Note", Note.class).getResultList()));

        assertThat(failure).isInstanceOf(TenantContextMissingException.class);
        assertThat(missingCount()).isEqualTo(before + 1);
    }

    @Test
    void aSessionThePlatformDidNotOpenIsRefusedByPostgresEvenWhenNoRowWouldMatch() {
        Throwable failure = failureOf(() -> sessions.withTransaction(session -> session
                .createQuery("from Note where id = -1", Note.class).getResultList()));

        assertThat(PgErrors.sqlState(failure)).contains(TenantContextMissingException.SQLSTATE);
    }

    @Test
    void aTenantContextDoesNotOutliveItsTransaction() {
        TenantId tenant = TenantId.random();
        await(() -> transactions.inTenantSession(tenant, session -> session.persist(Note.of(tenant.value(), "x"))));

        // The next transaction, on a pool of two connections, has no tenant unless it sets one.
        for (int i = 0; i < 4; i++) {
            Throwable failure = failureOf(() -> sessions.withTransaction(session -> session
                    .createQuery("from Note", Note.class).getResultList()));
            assertThat(PgErrors.sqlState(failure)).contains(TenantContextMissingException.SQLSTATE);
        }
    }

    @Test
    void rawSqlAsTheAppRoleRaisesInsteadOfReturningNothing() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM notes"))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo(TenantContextMissingException.SQLSTATE));
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM notes WHERE id = -1"))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo(TenantContextMissingException.SQLSTATE));
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM notes"))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo(TenantContextMissingException.SQLSTATE));
        }
    }

    @Test
    void aPreparedStatementWhosePlanWasCachedForATenantStillRaisesWithoutOne() throws SQLException {
        TenantId tenant = TenantId.random();
        await(() -> transactions.inTenantSession(tenant, session -> session.persist(Note.of(tenant.value(), "cached"))));
        try (Connection app = TestDatabase.asApp();
                PreparedStatement setTenant = app.prepareStatement("SELECT set_config('app.tenant_id', ?, true)");
                PreparedStatement select = app.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
            // Warm the statement up the way a pooled connection would: many executions inside tenant transactions,
            // enough for PostgreSQL to switch to a cached generic plan if the role allowed it.
            app.setAutoCommit(false);
            for (int execution = 0; execution < 12; execution++) {
                setTenant.setString(1, tenant.toString());
                setTenant.execute();
                select.setLong(1, -1);
                select.executeQuery().close();
                app.commit();
            }

            select.setLong(1, -1);
            assertThatThrownBy(select::executeQuery)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo(TenantContextMissingException.SQLSTATE));
            app.rollback();
        }
    }

    private double missingCount() {
        var counter = registry.find("cs.tenant.context.missing").counter();
        return counter == null ? 0 : counter.count();
    }
}
