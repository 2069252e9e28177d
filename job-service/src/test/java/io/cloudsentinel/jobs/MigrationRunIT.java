package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.testing.KafkaServer;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.PostgresServer;

/**
 * Migrations are a run of their own: the packaged jar in migration mode with the owner's credentials only, exiting
 * when done; a serving process runs as the app role, never migrates, and refuses a schema older than it needs.
 */
class MigrationRunIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar"));

    @Test
    void theMigrationRunNeedsOnlyTheOwnersCredentialsAndLeavesTheSchemaAtTheLatestVersion() throws Exception {
        String database = fresh("cloudsentinel_jobs_migrate");

        PackagedService.Migration migration = PackagedService.migrate(JAR, database);

        assertThat(migration.exitCode()).as(migration.log()).isZero();
        assertThat(appliedVersion(database)).isEqualTo(latestPackagedVersion());
        assertThat(PackagedService.migrate(JAR, database).exitCode()).as("a second run finds nothing to do").isZero();
    }

    @Test
    void theAppRoleCannotMigrate() throws Exception {
        String database = fresh("cloudsentinel_jobs_migrate_as_app");

        PackagedService.Migration migration = PackagedService.migrate(JAR, database, DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD);

        assertThat(migration.exitCode()).isNotZero();
        assertThat(migration.log()).contains("permission denied");
        assertThat(tables(database)).as("nothing created").isZero();
    }

    @Test
    void aServingProcessRefusesASchemaOlderThanItNeedsAndNeverMigratesItself() throws Exception {
        String database = fresh("cloudsentinel_jobs_unmigrated");

        assertThatThrownBy(() -> PackagedService.serve(JAR, database, environment(), kafka()).close())
                .hasMessageContaining("service exited").hasMessageContaining("not applied");
        assertThat(tables(database)).as("the app role created nothing").isZero();
    }

    @Test
    void aServingProcessAcceptsASchemaNewerThanItKnows() throws Exception {
        String database = fresh("cloudsentinel_jobs_newer_schema");
        assertThat(PackagedService.migrate(JAR, database).exitCode()).isZero();
        try (Connection owner = owner(database); Statement statement = owner.createStatement()) {
            // what the next release's expand migration leaves in the history
            statement.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1, '9999',"
                    + " 'next release', 'SQL', 'V9999__next_release.sql', 0, current_user, 1, true"
                    + " FROM flyway_schema_history");
        }

        try (PackagedService service = PackagedService.serve(JAR, database, environment(), kafka())) {
            assertThat(service.log()).doesNotContain("Migrating schema");
        }
    }

    private static Map<String, String> environment() {
        return Map.of("CS_CONTEXT_GATEWAY_KEYS", ContextKeys.generate("it-gateway").publicKey());
    }

    private static String kafka() {
        return "kafka.bootstrap.servers=" + KafkaServer.shared().bootstrapServers();
    }

    /** A bootstrapped database nobody migrated yet: roles and grants, no schema. */
    private static String fresh(String prefix) {
        String database = prefix + "_" + Long.toHexString(System.nanoTime());
        PostgresServer.shared().bootstrap(database);
        return database;
    }

    /** The highest V<n>__ migration in this module's sources: what the packaged jar holds. */
    private static String latestPackagedVersion() throws Exception {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(file -> versioned.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(matcher -> matcher.group(1)).max(Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        }
    }

    private static String appliedVersion(String database) throws SQLException {
        try (Connection owner = owner(database);
                Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version FROM flyway_schema_history"
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static long tables(String database) throws SQLException {
        try (Connection owner = owner(database);
                Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection owner(String database) throws SQLException {
        return DriverManager.getConnection(PostgresServer.shared().jdbcUrl(database), DatabaseBootstrap.OWNER_ROLE,
                PostgresServer.OWNER_PASSWORD);
    }
}
