package io.cloudsentinel.jobs.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Replaces a webhook's signing secret and keeps the one it replaces valid for a grace period, in one statement: the
 * current secret becomes the previous one as the row is when its lock is taken. Of two concurrent rotations the
 * second waits for the first and moves the first's new secret to previous, so no secret a caller was shown is lost;
 * the older previous secret (the one before both) is dropped at once.
 */
@ApplicationScoped
public class WebhookSecretRotation {

    /** $1 tenant, $2 the new secret's ciphertext, $3 the previous secret's end of validity, $4 now. */
    private static final String ROTATE = """
            UPDATE webhook_settings
               SET previous_secret_ciphertext = secret_ciphertext, secret_ciphertext = $2,
                   previous_valid_until = $3, rotated_at = $4, updated_at = $4
             WHERE tenant_id = $1
            RETURNING previous_valid_until
            """;

    /** Until when the previous secret signs; empty when the tenant has no webhook. */
    public Uni<Optional<Instant>> rotate(SqlClient connection, TenantId tenant, String secretCiphertext,
            Instant previousValidUntil, Instant now) {
        return connection.preparedQuery(ROTATE)
                .execute(Tuple.of(tenant.value(), secretCiphertext, previousValidUntil.atOffset(ZoneOffset.UTC),
                        now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    var updated = rows.iterator();
                    return updated.hasNext()
                            ? Optional.of(updated.next().getOffsetDateTime("previous_valid_until"))
                                    .map(OffsetDateTime::toInstant)
                            : Optional.empty();
                });
    }
}
