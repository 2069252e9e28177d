package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.TestDatabase;
import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Whoever holds the app role's connection cannot switch row-level security off; FORCE binds the owner too. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class RowSecurityEscapeTest {

    @Inject
    TenantTransactions transactions;

    @Test
    void turningRowSecurityOffMakesQueriesFailNotBypass() throws SQLException {
        TenantId tenant = seededTenant();
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            statement.execute("SET row_security = off");
            assertSqlState(() -> statement.executeQuery("SELECT * FROM notes"), "42501");

            statement.execute("SELECT set_config('app.tenant_id', '" + tenant + "', false)");
            assertSqlState(() -> statement.executeQuery("SELECT * FROM notes"), "42501");
        }
    }

    @Test
    void theAppRoleCannotDisablePoliciesOrBecomeTheOwner() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            assertSqlState(() -> statement.execute("ALTER TABLE notes DISABLE ROW LEVEL SECURITY"), "42501");
            assertSqlState(() -> statement.execute("ALTER TABLE notes NO FORCE ROW LEVEL SECURITY"), "42501");
            assertSqlState(() -> statement.execute("DROP POLICY tenant_isolation ON notes"), "42501");
            assertSqlState(() -> statement.execute("SET ROLE cs_owner"), "42501");
            assertSqlState(() -> statement.execute("CREATE TABLE escape_hatch (id int)"), "42501");
            statement.execute("SET ROLE cs_system");
            assertSqlState(() -> statement.execute("CREATE TABLE escape_hatch (id int)"), "42501");
            assertSqlState(() -> statement.execute("CREATE FUNCTION escape_hatch() RETURNS int LANGUAGE sql"
                    + " AS 'SELECT 1'"), "42501");
        }
    }

    @Test
    void theSystemPathNeedsBothTheRoleSwitchAndANamedTask() throws SQLException {
        seededTenant();
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            statement.execute("SELECT set_config('app.system_task', 'sneaky', false)");
            assertSqlState(() -> statement.executeQuery("SELECT * FROM notes"), TenantContextMissingException.SQLSTATE);

            statement.execute("SELECT set_config('app.system_task', '', false)");
            statement.execute("SET ROLE cs_system");
            assertSqlState(() -> statement.executeQuery("SELECT * FROM notes"), TenantContextMissingException.SQLSTATE);
        }
    }

    @Test
    void forceRowSecurityBindsTheOwnerToo() throws SQLException {
        TenantId mine = seededTenant();
        seededTenant();
        try (Connection owner = TestDatabase.asOwner(); Statement statement = owner.createStatement()) {
            assertSqlState(() -> statement.executeQuery("SELECT * FROM notes"), TenantContextMissingException.SQLSTATE);

            owner.setAutoCommit(false);
            statement.execute("SELECT set_config('app.tenant_id', '" + mine + "', true)");
            List<String> tenants = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT DISTINCT tenant_id FROM notes")) {
                while (rows.next()) {
                    tenants.add(rows.getString(1));
                }
            }
            owner.rollback();
            assertThat(tenants).containsExactly(mine.toString());
        }
    }

    @Test
    void migrationsLeaveNoTenantTableUnprotectedAndTheCheckWouldSeeOne() throws SQLException {
        try (Connection owner = TestDatabase.asOwner(); Statement statement = owner.createStatement()) {
            assertThat(count(statement, "SELECT count(*) FROM cs_unprotected_tenant_tables")).isZero();
            assertThat(count(statement, "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"
                    + " AND tableowner = 'cs_owner'")).isEqualTo(1);

            owner.setAutoCommit(false);
            statement.execute("CREATE TABLE forgotten (id int, tenant_id uuid NOT NULL)");
            assertThat(count(statement, "SELECT count(*) FROM cs_unprotected_tenant_tables")).isEqualTo(1);
            owner.rollback();
        }
    }

    private TenantId seededTenant() {
        TenantId tenant = TenantId.random();
        await(() -> transactions.inTenantSession(tenant, session -> session.persist(Note.of(tenant.value(), "row"))));
        return tenant;
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void assertSqlState(SqlAction action, String sqlState) {
        assertThatThrownBy(action::run)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(sqlState));
    }
}
