package io.cloudsentinel.platform.datasource;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Creates the services' reactive PostgreSQL pool as Quarkus would, but lets the per-connection prepared statement
 * cache hold long statements too.
 *
 * <p>
 * Vert.x caches only statements of up to 2,048 characters; a longer one is parsed, analysed and planned again on every
 * execution, and never reaches a cached generic plan. Our hot statements (budget-service's authorize and settle, about
 * 3,000 characters of readable SQL each) were over that limit: PostgreSQL spent most of its time parsing and planning
 * them (perf, 2026-11-22). Quarkus has no setting for the limit, hence this creator.
 */
@Singleton
public class StatementCachingPoolCreator implements PgPoolCreator {

    /** Longer than any statement we write; the cache is still bounded by its entry count (Vert.x default 256). */
    static final int CACHED_STATEMENT_MAX_CHARS = 32 * 1024;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList()
                .forEach(options -> options.setPreparedStatementCacheSqlLimit(CACHED_STATEMENT_MAX_CHARS));
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
