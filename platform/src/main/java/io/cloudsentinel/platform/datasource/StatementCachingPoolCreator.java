package io.cloudsentinel.platform.datasource;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Creates the services' reactive PostgreSQL pool from Quarkus's connect and pool options, but lets the
 * per-connection prepared statement cache hold long statements too.
 *
 * <p>
 * Vert.x caches only statements of up to 2,048 characters; a longer one is parsed, analysed and planned again on every
 * execution, and never reaches a cached generic plan. Our hot statements (budget-service's authorize and settle, about
 * 3,000 characters of readable SQL each) were over that limit: PostgreSQL spent most of its time parsing and planning
 * them (perf, 2026-11-22). Quarkus has no setting for the limit, hence this creator. It takes the connect options
 * Quarkus built from the datasource configuration as they are; what it gives up is Quarkus's credentials-provider
 * lookup on each new connection, so a configured credentials provider is refused at startup instead of ignored.
 */
@Singleton
public class StatementCachingPoolCreator implements PgPoolCreator {

    /** Longer than any statement we write; the cache is still bounded by its entry count (Vert.x default 256). */
    static final int CACHED_STATEMENT_MAX_CHARS = 32 * 1024;

    private final Optional<String> credentialsProvider;

    public StatementCachingPoolCreator(
            @ConfigProperty(name = "quarkus.datasource.credentials-provider") Optional<String> credentialsProvider) {
        this.credentialsProvider = credentialsProvider;
    }

    @Override
    public Pool create(Input input) {
        if (credentialsProvider.isPresent()) {
            throw new IllegalStateException("quarkus.datasource.credentials-provider is set, but the pool is created by "
                    + "StatementCachingPoolCreator, which takes fixed credentials: extend it before using a provider");
        }
        input.pgConnectOptionsList()
                .forEach(options -> options.setPreparedStatementCacheSqlLimit(CACHED_STATEMENT_MAX_CHARS));
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
