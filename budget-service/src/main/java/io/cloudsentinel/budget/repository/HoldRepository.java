package io.cloudsentinel.budget.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.Hold;
import io.cloudsentinel.budget.HoldStatus;
import io.smallrye.mutiny.Uni;

/** Holds; row-level security makes another tenant's hold simply absent. */
@ApplicationScoped
public class HoldRepository {

    private static final String COLUMNS = "id, idempotency_key, model, price_version, input_tokens, max_output_tokens,"
            + " estimate_micros, month_start, day_start, status, expires_at, settled_input_tokens,"
            + " settled_output_tokens, settled_cost_micros, finished_at";

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
