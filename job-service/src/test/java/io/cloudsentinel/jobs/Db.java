package io.cloudsentinel.jobs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.ConfigProvider;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;

/** Plain JDBC for test setup and checks: as the owner to truncate, as cs_app on the audited system path to read. */
public final class Db {

    private Db() {
    }

    public static String jdbcUrl() {
        return ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
    }

    public static String reactiveUrl() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class);
    }

    /** A connection of the application role that acts as system task "jobs-test" for its whole session. */
    public static Connection system() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl(), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT set_config('role', 'cs_system', false),"
                    + " set_config('app.system_task', 'jobs-test', false)");
        }
        return connection;
    }

    /** Empties every table job-service writes, so each test starts from nothing. */
    public static void truncateAll() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE jobs, job_attempts, job_slots, tenant_shares, cs_outbox");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An instant as a SQL timestamptz literal. */
    public static String literal(java.time.Instant instant) {
        return "'" + instant + "'::timestamptz";
    }

    public static void execute(String sql) {
        try (Connection connection = system(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(String sql) {
        try (Connection connection = system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The tests' own tenant table, where test handlers write their marks (see handlers/Marks). */
    public static void createMarks() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS handler_marks (
                        tenant_id uuid NOT NULL, job_id uuid NOT NULL, attempt integer NOT NULL,
                        PRIMARY KEY (tenant_id, job_id, attempt));
                    CALL cs_protect_tenant_table('handler_marks');
                    CALL cs_grant_system_task('jobs-test', 'handler_marks', 'read');
                    TRUNCATE handler_marks;
                    """);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row as text; null when there is no row. */
    public static String text(String sql) {
        try (Connection connection = system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
