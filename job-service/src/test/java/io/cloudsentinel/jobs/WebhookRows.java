package io.cloudsentinel.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.cloudsentinel.testing.PostgresServer;

/** Webhook and notification rows read past row-level security, as the platform operator, for assertions. */
final class WebhookRows {

    private static final String DATABASE = "cloudsentinel_jobs";

    private WebhookRows() {
    }

    /** No jobs, no outbox rows, no webhooks: each test starts from nothing. */
    static void clear() {
        Db.truncateAll();
        execute("TRUNCATE webhook_settings");
    }

    static void execute(String sql) {
        try (Connection admin = PostgresServer.shared().adminConnection(DATABASE);
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long count(String sql) {
        String value = text(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of the first row as text; null when there is no row. */
    static String text(String sql) {
        try (Connection admin = PostgresServer.shared().adminConnection(DATABASE);
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Any column of any webhook row, job or outbox row that holds the text. */
    static long rowsHolding(String text) {
        String like = "'%" + text.replace("'", "''") + "%'";
        return count("SELECT (SELECT count(*) FROM webhook_settings w WHERE w::text LIKE " + like + ")"
                + " + (SELECT count(*) FROM jobs j WHERE j::text LIKE " + like + ")"
                + " + (SELECT count(*) FROM cs_outbox o WHERE o::text LIKE " + like + ")");
    }
}
