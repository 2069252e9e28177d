package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.TestDatabase;
import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SystemTaskNames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.pgclient.PgException;

/**
 * A system task reads and writes only what its migrations granted it (cs_grant_system_task): the probe grants
 * {@code probe-reader} read on notes and {@code probe-writer} write on notes (V3__probe_system_task_grants.sql). Each
 * refusal is SQLSTATE 42501 naming the task, the table and the access. Rows are seeded inside each transaction and
 * rolled back: the check runs when a statement reaches its first row.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SystemTaskGrantsTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    TenantTransactions transactions;

    @Test
    void aTaskGrantedReadSelectsButCannotInsertUpdateOrDelete() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            TenantId tenant = seedNote(statement);
            enterTask(statement, "probe-reader");

            assertThat(count(statement, "SELECT count(*) FROM notes WHERE tenant_id = '" + tenant + "'")).isEqualTo(1);
            assertRefused(statement, "INSERT INTO notes (tenant_id, body) VALUES ('" + tenant + "', 'more')",
                    "probe-reader", "write", "notes");
            assertRefused(statement, "UPDATE notes SET body = 'changed' WHERE tenant_id = '" + tenant + "'",
                    "probe-reader", "write", "notes");
            assertRefused(statement, "UPDATE notes SET body = 'changed'", "probe-reader", "write", "notes");
            assertRefused(statement, "DELETE FROM notes WHERE tenant_id = '" + tenant + "'", "probe-reader", "write",
                    "notes");
            assertRefused(statement, "SELECT body FROM notes WHERE tenant_id = '" + tenant + "' FOR UPDATE",
                    "probe-reader", "write", "notes");
            app.rollback();
        }
    }

    @Test
    void aTaskGrantedWriteOnOneTableWritesItAndCannotReadAnother() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            TenantId tenant = seedNote(statement);
            statement.execute("INSERT INTO cs_outbox (tenant_id, topic, record_key, payload) VALUES ('" + tenant
                    + "', 'grants-test', 'key', '{}')");
            enterTask(statement, "probe-writer");

            assertThat(statement.executeUpdate("UPDATE notes SET body = 'changed' WHERE tenant_id = '" + tenant
                    + "'")).isEqualTo(1);
            assertThat(count(statement, "SELECT count(*) FROM notes WHERE tenant_id = '" + tenant + "'"))
                    .as("a write grant implies read").isEqualTo(1);
            assertRefused(statement, "SELECT count(*) FROM cs_outbox WHERE tenant_id = '" + tenant + "'",
                    "probe-writer", "read", "cs_outbox");
            assertRefused(statement, "DELETE FROM cs_outbox WHERE tenant_id = '" + tenant + "'", "probe-writer",
                    "cs_outbox");
            app.rollback();
        }
    }

    @Test
    void aTaskNameWithoutGrantsIsRefusedOnEveryCommand() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            TenantId tenant = seedNote(statement);
            enterTask(statement, "probe-ungranted");

            assertRefused(statement, "SELECT * FROM notes", "probe-ungranted", "read", "notes");
            assertRefused(statement, "INSERT INTO notes (tenant_id, body) VALUES ('" + tenant + "', 'more')",
                    "probe-ungranted", "write", "notes");
            assertRefused(statement, "UPDATE notes SET body = 'changed'", "probe-ungranted", "write", "notes");
            assertRefused(statement, "DELETE FROM notes", "probe-ungranted", "write", "notes");
            app.rollback();
        }
    }

    @Test
    void theJavaSystemPathIsRefusedTheSameWay() {
        TenantId tenant = TenantId.random();
        await(() -> transactions.inTenantSession(tenant, session -> session.persist(Note.of(tenant.value(), "row"))));

        Long seen = await(() -> transactions.asSystem(new SystemTask("probe-reader"), connection -> connection
                .query("SELECT count(*) FROM notes").execute().map(rows -> rows.iterator().next().getLong(0))));
        assertThat(seen).isPositive();

        Throwable refused = failureOf(() -> transactions.asSystem(new SystemTask("probe-reader"),
                connection -> connection.query("DELETE FROM notes").execute()));
        assertThat(PgErrors.sqlState(refused)).contains(INSUFFICIENT_PRIVILEGE);
        Throwable cause = refused;
        while (!(cause instanceof PgException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(PgException.class)
                .hasMessageContaining("system task probe-reader has no write grant on notes");
    }

    @Test
    void everyTaskThePlatformNamesHasAGrantInEveryServiceDatabase() throws SQLException {
        Set<String> named = SystemTaskNames.in(Path.of("src/main/java"));
        assertThat(named).as("read from the code").contains("outbox-relay", "outbox-parked");
        try (Connection owner = TestDatabase.asOwner(); Statement statement = owner.createStatement()) {
            assertThat(tasks(statement, "SELECT DISTINCT task FROM cs_system_task_grants")).containsAll(named);
        }
    }

    @Test
    void operatorWorkIsLoggedWithTheOperatorAndBackgroundWorkIsNot() {
        try (CapturedLog log = CapturedLog.start()) {
            await(() -> transactions.asSystem(new SystemTask("probe-reader").forOperator("operator-7"),
                    connection -> connection.query("SELECT 1").execute()));
            await(() -> transactions.asSystem(new SystemTask("probe-writer"),
                    connection -> connection.query("SELECT 1").execute()));

            assertThat(log.of(TenantTransactions.class, "INFO"))
                    .containsExactly("system task probe-reader for operator operator-7");
        }
    }

    @Test
    void noTaskCanGrantItselfAnything() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            enterTask(statement, "probe-reader");
            assertRefused(statement, "INSERT INTO cs_system_task_grants VALUES ('probe-reader', 'cs_outbox', 'write')",
                    "permission denied", "cs_system_task_grants");
            assertRefused(statement, "UPDATE cs_system_task_grants SET access = 'write'", "permission denied",
                    "cs_system_task_grants");
            assertRefused(statement, "DELETE FROM cs_system_task_grants", "permission denied",
                    "cs_system_task_grants");
            assertRefused(statement, "CALL cs_grant_system_task('probe-reader', 'notes', 'write')",
                    "permission denied", "cs_grant_system_task");
            assertThat(count(statement, "SELECT count(*) FROM cs_system_task_grants WHERE task = 'probe-reader'"))
                    .as("the system role reads the grants, as the check runs with its rights").isEqualTo(1);
            app.rollback();

            // nor as the app role itself
            assertRefused(statement, "INSERT INTO cs_system_task_grants VALUES ('probe-reader', 'notes', 'write')",
                    "permission denied", "cs_system_task_grants");
            app.rollback();
        }
    }

    @Test
    void aTemporaryTableCannotShadowTheGrants() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            TenantId tenant = seedNote(statement);
            // pg_temp comes first in the search path for tables: an unqualified name in the check would read this one
            statement.execute("CREATE TEMPORARY TABLE cs_system_task_grants (task text, table_name text, access text)"
                    + " ON COMMIT DROP");
            statement.execute("INSERT INTO cs_system_task_grants VALUES ('probe-ungranted', 'notes', 'read')");
            statement.execute("GRANT SELECT ON cs_system_task_grants TO cs_system");
            enterTask(statement, "probe-ungranted");

            assertRefused(statement, "SELECT * FROM notes WHERE tenant_id = '" + tenant + "'", "probe-ungranted",
                    "read", "notes");
            app.rollback();
        }
    }

    @Test
    void theGrantCheckRunsOncePerStatementNotPerRow() throws SQLException {
        try (Connection app = TestDatabase.asApp(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            enterTask(statement, "probe-writer");
            for (String sql : List.of("SELECT * FROM notes", "UPDATE notes SET body = body WHERE id > 0",
                    "DELETE FROM notes WHERE id < 0",
                    "INSERT INTO notes (tenant_id, body) SELECT tenant_id, body FROM notes")) {
                List<String> plan = plan(statement, sql);
                assertThat(plan).as(sql).anyMatch(line -> line.trim().startsWith("InitPlan"));
                // the check is only ever the output of an InitPlan's Result, never in a filter evaluated per row
                List<String> checks = plan.stream().filter(line -> line.contains("cs_system_task_allows")).toList();
                assertThat(checks).as(sql).isNotEmpty().allMatch(line -> line.trim().startsWith("Output:"));
            }
            app.rollback();
        }
    }

    @Test
    void beforeMigrateUpgradesATableProtectedTheEarlierWay() throws SQLException, IOException {
        try (Connection owner = TestDatabase.asOwner(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("CREATE TABLE earlier_notes (tenant_id uuid NOT NULL, body text)");
            statement.execute("ALTER TABLE earlier_notes ENABLE ROW LEVEL SECURITY");
            statement.execute("ALTER TABLE earlier_notes FORCE ROW LEVEL SECURITY");
            statement.execute("CREATE POLICY tenant_isolation ON earlier_notes FOR ALL TO PUBLIC"
                    + " USING (tenant_id = cs_current_tenant()) WITH CHECK (tenant_id = cs_current_tenant())");
            statement.execute("CREATE POLICY system_task_access ON earlier_notes FOR ALL TO cs_system"
                    + " USING (cs_system_task() IS NOT NULL) WITH CHECK (cs_system_task() IS NOT NULL)");

            statement.execute(beforeMigrate());

            assertThat(policies(statement, "earlier_notes")).containsExactly("system_task_delete",
                    "system_task_insert", "system_task_read", "system_task_update", "tenant_isolation");
            assertThat(count(statement, "SELECT count(*) FROM pg_policy WHERE polname = 'system_task_access'"))
                    .isZero();
            owner.rollback();
        }
    }

    /** A note of a new tenant, inserted in the tenant's context of the open transaction. */
    private static TenantId seedNote(Statement statement) throws SQLException {
        TenantId tenant = TenantId.random();
        statement.execute("SELECT set_config('app.tenant_id', '" + tenant + "', true)");
        statement.execute("INSERT INTO notes (tenant_id, body) VALUES ('" + tenant + "', 'seeded')");
        return tenant;
    }

    /** What TenantTransactions.asSystem runs first, for the rest of the open transaction. */
    private static void enterTask(Statement statement, String task) throws SQLException {
        statement.execute("SELECT set_config('app.tenant_id', '', true), set_config('role', 'cs_system', true),"
                + " set_config('app.system_task', '" + task + "', true)");
    }

    /** The statement fails with 42501 and a message naming each of {@code named}; the transaction goes on. */
    private static void assertRefused(Statement statement, String sql, String... named) throws SQLException {
        statement.execute("SAVEPOINT refused");
        assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE))
                .hasMessageContainingAll(named);
        statement.execute("ROLLBACK TO SAVEPOINT refused");
    }

    private static List<String> plan(Statement statement, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("EXPLAIN (VERBOSE, COSTS OFF) " + sql)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static List<String> policies(Statement statement, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("SELECT polname FROM pg_policy WHERE polrelid = '" + table
                + "'::regclass ORDER BY polname")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Set<String> tasks(Statement statement, String sql) throws SQLException {
        Set<String> tasks = new TreeSet<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                tasks.add(rows.getString(1));
            }
        }
        return tasks;
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String beforeMigrate() throws IOException {
        try (InputStream script = SystemTaskGrantsTest.class.getResourceAsStream("/db/platform/beforeMigrate.sql")) {
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
