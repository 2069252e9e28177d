package io.cloudsentinel.platform.outbox;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What an operator does with parked outbox rows: list them, send one again (it is unparked, attempts reset, and its
 * key flows again behind it), or discard one (the event is lost; its key flows again). Each change is logged at INFO
 * with the operator and the row; the payload is never shown or logged.
 */
@ApplicationScoped
public class ParkedEvents {

    private static final Logger LOG = Logger.getLogger(ParkedEvents.class);
    private static final SystemTask TASK = new SystemTask("outbox-parked");

    /** A parked row, without its payload. */
    public record Parked(long id, UUID tenantId, String topic, String key, OffsetDateTime createdAt,
            OffsetDateTime parkedAt, int attempts, String lastError, int payloadBytes) {
    }

    private final TenantTransactions transactions;

    public ParkedEvents(TenantTransactions transactions) {
        this.transactions = transactions;
    }

    /** Up to {@code limit} parked rows after the id {@code after}, oldest first. */
    public Uni<List<Parked>> list(long after, int limit, TenantContext operator) {
        return transactions.asSystem(TASK.forOperator(operator.userId()), connection -> connection.preparedQuery("""
                SELECT id, tenant_id, topic, record_key, created_at, parked_at, attempts, last_error,
                       octet_length(payload) AS payload_bytes
                  FROM cs_outbox
                 WHERE parked_at IS NOT NULL AND id > $1
                 ORDER BY id
                 LIMIT $2
                """).execute(Tuple.of(after, limit)).map(rows -> {
            List<Parked> parked = new ArrayList<>();
            for (Row row : rows) {
                parked.add(new Parked(row.getLong("id"), row.getUUID("tenant_id"), row.getString("topic"),
                        row.getString("record_key"), row.getOffsetDateTime("created_at"),
                        row.getOffsetDateTime("parked_at"), row.getInteger("attempts"), row.getString("last_error"),
                        row.getInteger("payload_bytes")));
            }
            return parked;
        }));
    }

    /** Unparks the row for the relay to send again; false when no such row is parked. */
    public Uni<Boolean> retry(long id, TenantContext operator) {
        return change(id, operator, "sent again", """
                UPDATE cs_outbox SET parked_at = NULL, attempts = 0
                 WHERE id = $1 AND parked_at IS NOT NULL
                RETURNING tenant_id, topic
                """);
    }

    /** Deletes the parked row: its event is never published; false when no such row is parked. */
    public Uni<Boolean> discard(long id, TenantContext operator) {
        return change(id, operator, "discarded", """
                DELETE FROM cs_outbox WHERE id = $1 AND parked_at IS NOT NULL RETURNING tenant_id, topic
                """);
    }

    private Uni<Boolean> change(long id, TenantContext operator, String what, String sql) {
        return transactions.asSystem(TASK.forOperator(operator.userId()),
                connection -> connection.preparedQuery(sql).execute(Tuple.of(id)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return false;
                    }
                    Row row = rows.iterator().next();
                    LOG.infof("parked outbox row %d (tenant %s, topic %s) %s by operator %s", id,
                            row.getUUID("tenant_id"), row.getString("topic"), what, operator.userId());
                    return true;
                });
    }
}
