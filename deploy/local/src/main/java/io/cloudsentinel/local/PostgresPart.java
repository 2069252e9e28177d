package io.cloudsentinel.local;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Embedded PostgreSQL 17 with its data under .local/postgres, bootstrapped with the suite's roles and databases. */
final class PostgresPart implements AutoCloseable {

    private final LocalSettings settings;
    private EmbeddedPostgres postgres;

    PostgresPart(LocalSettings settings) {
        this.settings = settings;
    }

    Path log() {
        return settings.logs.resolve("postgres.log");
    }

    void start() throws LaunchFailure {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(settings.ports.postgres())
                    .setDataDirectory(settings.local.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // the embedded defaults trade durability for test speed; the launcher's data is kept between runs
                    .setServerConfig("fsync", settings.durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", settings.durable ? "on" : "off")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new LaunchFailure("postgres", "did not start on port " + settings.ports.postgres(), log(), e);
        }
        bootstrap(ServiceModule.databases());
    }

    /** The suite's roles, and these databases with their grants; idempotent. */
    void bootstrap(List<String> databases) throws LaunchFailure {
        try {
            DatabaseBootstrap.apply(adminUrl(), "postgres", "", new DatabaseBootstrap.Settings(
                    settings.secret("owner-password"), settings.secret("app-password"), databases));
        } catch (SQLException | IllegalArgumentException e) {
            throw new LaunchFailure("postgres", "bootstrap of roles and databases " + databases + " failed", log(), e);
        }
    }

    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.ports.postgres() + "/postgres";
    }

    @Override
    public void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("postgres did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
