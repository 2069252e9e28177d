package io.cloudsentinel.testing;

import java.util.HashMap;
import java.util.Map;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a bootstrapped database on the shared {@link PostgresServer}. The service connects as the
 * application role (NOSUPERUSER NOBYPASSRLS) and Flyway migrates as the owner role, exactly as in production. Use
 * with {@code @WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database",
 * value = "cloudsentinel_budget"))}; the default database is {@code cloudsentinel_test}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Config keys that tests read to open their own JDBC connections. */
    public static final String JDBC_URL_KEY = "cs.test.postgres.jdbc-url";
    public static final String DATABASE_KEY = "cs.test.postgres.database";

    public static final String DEFAULT_DATABASE = "cloudsentinel_test";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer server = PostgresServer.shared();
        server.bootstrap(database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.db-kind", "postgresql");
        config.put("quarkus.datasource.username", DatabaseBootstrap.APP_ROLE);
        config.put("quarkus.datasource.password", PostgresServer.APP_PASSWORD);
        config.put("quarkus.datasource.reactive.url", server.reactiveUrl(database));
        config.put("quarkus.datasource.jdbc.url", server.jdbcUrl(database));
        config.put("quarkus.flyway.username", DatabaseBootstrap.OWNER_ROLE);
        config.put("quarkus.flyway.password", PostgresServer.OWNER_PASSWORD);
        config.put(JDBC_URL_KEY, server.jdbcUrl(database));
        config.put(DATABASE_KEY, database);
        return config;
    }

    @Override
    public void stop() {
        // the server is shared by every test class of this JVM and stops with it
    }
}
