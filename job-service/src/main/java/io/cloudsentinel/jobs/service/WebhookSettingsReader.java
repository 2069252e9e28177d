package io.cloudsentinel.jobs.service;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.Webhook;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The webhook of the tenant whose transaction this is, for deliveries: read on the caller's connection, so that it
 * is the row as that transaction sees it. {@code cs_current_tenant()} raises when the connection has no tenant.
 */
@ApplicationScoped
public class WebhookSettingsReader {

    private static final String FIND = """
            SELECT url, events, secret_ciphertext, previous_secret_ciphertext, previous_valid_until
              FROM webhook_settings
             WHERE tenant_id = cs_current_tenant()
            """;

    public Uni<Optional<Webhook>> find(SqlConnection tenantTransaction) {
        return tenantTransaction.preparedQuery(FIND).execute().map(rows -> {
            var found = rows.iterator();
            return found.hasNext() ? Optional.of(webhook(found.next())) : Optional.empty();
        });
    }

    private static Webhook webhook(Row row) {
        Optional<Instant> previousValidUntil = Optional
                .ofNullable(row.getOffsetDateTime("previous_valid_until")).map(OffsetDateTime::toInstant);
        return new Webhook(URI.create(row.getString("url")), Set.copyOf(Arrays.asList(row.getArrayOfStrings("events"))),
                row.getString("secret_ciphertext"), Optional.ofNullable(row.getString("previous_secret_ciphertext")),
                previousValidUntil);
    }
}
