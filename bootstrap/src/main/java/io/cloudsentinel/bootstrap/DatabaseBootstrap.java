package io.cloudsentinel.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Applies {@code cloudsentinel-bootstrap.sql}: the owner role that migrates, the application role that services
 * connect as (NOSUPERUSER NOBYPASSRLS), and one database per service.
 */
public final class DatabaseBootstrap {

    /** Owner of every database and schema object; Flyway connects as this role. */
    public static final String OWNER_ROLE = "cs_owner";
    /** What services connect as; subject to row-level security like everybody else. */
    public static final String APP_ROLE = "cs_app";
    /** Classpath location of the script; the Helm chart ships the same file. */
    public static final String SCRIPT_RESOURCE = "/cloudsentinel-bootstrap.sql";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** The passwords of both roles and the databases to create. */
    public record Settings(String ownerPassword, String appPassword, List<String> databases) {
        public Settings {
            Objects.requireNonNull(ownerPassword, "ownerPassword");
            Objects.requireNonNull(appPassword, "appPassword");
            databases = List.copyOf(databases);
            for (String database : databases) {
                if (!DATABASE_NAME.matcher(database).matches()) {
                    throw new IllegalArgumentException(
                            "database name '" + database + "' must match " + DATABASE_NAME.pattern());
                }
            }
        }

        Map<String, String> variables() {
            return Map.of("owner_password", ownerPassword, "app_password", appPassword, "databases",
                    String.join(",", databases));
        }
    }

    private DatabaseBootstrap() {
    }

    /** Runs the script on an administrator connection (superuser or CREATEROLE + CREATEDB). */
    public static void apply(Connection admin, Settings settings) throws SQLException {
        PsqlScript.parse(script(), settings.variables()).run(admin);
    }

    public static void apply(String adminJdbcUrl, String adminUser, String adminPassword, Settings settings)
            throws SQLException {
        try (Connection admin = DriverManager.getConnection(adminJdbcUrl, adminUser, adminPassword)) {
            apply(admin, settings);
        }
    }

    public static String script() {
        try (InputStream in = DatabaseBootstrap.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
