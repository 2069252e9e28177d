package io.cloudsentinel.budget.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.cloudsentinel.budget.ModelPrice;
import io.smallrye.mutiny.Uni;

/** The versioned, effective-dated model price catalog (global, not tenant-owned). */
@ApplicationScoped
public class PriceCatalog {

    private static final String COLUMNS = "model, version, provider, input_micros_per_mtok, output_micros_per_mtok,"
            + " effective_from";

    public Uni<List<ModelPrice>> allInForce(Mutiny.Session session, Instant at) {
        return session.createNativeQuery("SELECT DISTINCT ON (model) " + COLUMNS + " FROM model_prices"
                + " WHERE effective_from <= :at ORDER BY model, version DESC", Object[].class)
                .setParameter("at", Rows.timestamp(at))
                .getResultList()
                .map(rows -> rows.stream().map(PriceCatalog::price).toList());
    }

    private static ModelPrice price(Object[] row) {
        return new ModelPrice((String) row[0], Rows.intValue(row[1]), (String) row[2], Rows.longValue(row[3]),
                Rows.longValue(row[4]), Rows.instant(row[5]));
    }
}
