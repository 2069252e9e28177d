package io.cloudsentinel.jobs.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The cost sources cost_ingestion fetches, read in the job's tenant transaction: ciphertexts, opened at the fetch. */
@ApplicationScoped
public class CostSourceRead {

    /** A source as the fetch needs it. */
    public record FetchedSource(String name, String urlCiphertext, String urlHost, boolean manifest,
            Optional<String> headerName, Optional<String> headerCiphertext) {
    }

    private static final String ALL = """
            SELECT name, url_ciphertext, url_host, manifest, header_name, header_ciphertext
              FROM cost_sources
             WHERE tenant_id = $1
             ORDER BY name
            """;

    private static final String ONE = """
            SELECT name, url_ciphertext, url_host, manifest, header_name, header_ciphertext
              FROM cost_sources
             WHERE tenant_id = $1 AND name = $2
            """;

    /** Every source of the tenant (row-level security shows no other's anyway), in name order. */
    public Uni<List<FetchedSource>> all(SqlClient connection, TenantId tenant) {
        return connection.preparedQuery(ALL).execute(Tuple.of(tenant.value())).map(CostSourceRead::sources);
    }

    /** The named source, or none. */
    public Uni<List<FetchedSource>> named(SqlClient connection, TenantId tenant, String name) {
        return connection.preparedQuery(ONE).execute(Tuple.of(tenant.value(), name)).map(CostSourceRead::sources);
    }

    private static List<FetchedSource> sources(Iterable<Row> rows) {
        List<FetchedSource> sources = new ArrayList<>();
        for (Row row : rows) {
            sources.add(new FetchedSource(row.getString("name"), row.getString("url_ciphertext"),
                    row.getString("url_host"), row.getBoolean("manifest"),
                    Optional.ofNullable(row.getString("header_name")),
                    Optional.ofNullable(row.getString("header_ciphertext"))));
        }
        return sources;
    }
}
