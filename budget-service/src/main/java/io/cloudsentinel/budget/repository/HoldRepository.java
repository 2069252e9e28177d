package io.cloudsentinel.budget.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.HoldStatus;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** Holds; row-level security makes another tenant's hold simply absent. */
@ApplicationScoped
public class HoldRepository {

    private static final String COLUMNS = "id, idempotency_key, model, price_version, input_tokens, max_output_tokens,"
            + " estimate_micros, month_start, day_start, status, expires_at, settled_input_tokens,"
            + " settled_output_tokens, settled_cost_micros, finished_at";

    /**
     * Claims the idempotency key: false when the tenant already has a hold under it (the unique index makes a
     * concurrent request with the same key wait for this transaction, then find its hold).
     */
    public Uni<Boolean> insert(Mutiny.Session session, TenantId tenant, Hold hold) {
        return session.createNativeQuery("""
                INSERT INTO budget_holds (id, tenant_id, idempotency_key, model, price_version, input_tokens,
                                          max_output_tokens, estimate_micros, month_start, day_start, status, expires_at)
                VALUES (:id, :tenant, :key, :model, :version, :input, :maxOutput, :estimate, :month,
                        CAST(:day AS date), 'HELD', :expiresAt)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                """)
                .setParameter("id", hold.id())
                .setParameter("tenant", tenant.value())
                .setParameter("key", hold.idempotencyKey())
                .setParameter("model", hold.model())
                .setParameter("version", hold.priceVersion())
                .setParameter("input", hold.inputTokens())
                .setParameter("maxOutput", hold.maxOutputTokens())
                .setParameter("estimate", hold.estimateMicros())
                .setParameter("month", hold.monthStart())
                .setParameter("day", hold.dayStart().orElse(null))
                .setParameter("expiresAt", Rows.timestamp(hold.expiresAt()))
                .executeUpdate()
                .map(inserted -> inserted == 1);
    }

    public Uni<Optional<Hold>> findByIdempotencyKey(Mutiny.Session session, String key) {
        return session.createNativeQuery("SELECT " + COLUMNS + " FROM budget_holds WHERE idempotency_key = :key",
                Object[].class)
                .setParameter("key", key)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(HoldRepository::hold));
    }

    /** The hold, locked for this transaction so that settle, release and the reaper take turns. */
    public Uni<Optional<Hold>> lock(Mutiny.Session session, UUID id) {
        return session.createNativeQuery("SELECT " + COLUMNS + " FROM budget_holds WHERE id = :id FOR UPDATE",
                Object[].class)
                .setParameter("id", id)
                .getResultList()
                .map(rows -> rows.stream().findFirst().map(HoldRepository::hold));
    }

    public Uni<Void> markSettled(Mutiny.Session session, UUID id, Hold.Settlement settlement) {
        return session.createNativeQuery("""
                UPDATE budget_holds
                   SET status = 'SETTLED', settled_input_tokens = :input, settled_output_tokens = :output,
                       settled_cost_micros = :cost, finished_at = :at
                 WHERE id = :id
                """)
                .setParameter("input", settlement.inputTokens())
                .setParameter("output", settlement.outputTokens())
                .setParameter("cost", settlement.costMicros())
                .setParameter("at", Rows.timestamp(settlement.settledAt()))
                .setParameter("id", id)
                .executeUpdate()
                .replaceWithVoid();
    }

    public Uni<Void> markReleased(Mutiny.Session session, UUID id, Instant at) {
        return session.createNativeQuery(
                "UPDATE budget_holds SET status = 'RELEASED', finished_at = :at WHERE id = :id")
                .setParameter("at", Rows.timestamp(at))
                .setParameter("id", id)
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Hold hold(Object[] row) {
        HoldStatus status = HoldStatus.valueOf((String) row[9]);
        Optional<Hold.Settlement> settlement = status == HoldStatus.SETTLED
                ? Optional.of(new Hold.Settlement(Rows.longValue(row[11]), Rows.longValue(row[12]),
                        Rows.longValue(row[13]), 0, Rows.instant(row[14])))
                : Optional.empty();
        return new Hold(Rows.uuid(row[0]), (String) row[1], (String) row[2], Rows.intValue(row[3]),
                Rows.longValue(row[4]), Rows.longValue(row[5]), Rows.longValue(row[6]), Rows.date(row[7]),
                Optional.ofNullable(Rows.date(row[8])), status, Rows.instant(row[10]), settlement);
    }
}
