package io.cloudsentinel.budget.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.budget.Budget;
import io.cloudsentinel.budget.WindowState;
import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.outbox.OutboxMessage;
import io.cloudsentinel.platform.outbox.OutboxWriter;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Announces on {@code budget.alerts} when a window crosses the soft-alert percentage and when it is exhausted, once
 * per window period and threshold (a marker row's primary key decides), through the outbox in the same transaction
 * as the change that crossed it.
 */
@ApplicationScoped
public class BudgetAlerts {

    public enum Threshold {
        SOFT_THRESHOLD,
        EXHAUSTED
    }

    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Clock clock;

    private final String topic;

    public BudgetAlerts(OutboxWriter outbox, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "cs.topics.budget-alerts") String topic) {
        this.topic = topic;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** After counters changed: the thresholds each window is now at or beyond. */
    public Uni<Void> afterChange(SqlClient connection, TenantId tenant, Budget budget, List<WindowState> windows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (WindowState window : windows) {
            for (Threshold threshold : reached(budget, window)) {
                chain = chain.chain(() -> announce(connection, tenant, budget, window, threshold));
            }
        }
        return chain;
    }

    /** A call was denied by this window: it is exhausted for practical purposes. */
    public Uni<Void> exhausted(SqlClient connection, TenantId tenant, Budget budget, WindowState window) {
        return announce(connection, tenant, budget, window, Threshold.EXHAUSTED);
    }

    static List<Threshold> reached(Budget budget, WindowState window) {
        long limit = budget.limit(window.window());
        long used = window.spentMicros() + window.reservedMicros();
        List<Threshold> reached = new ArrayList<>();
        // used / limit >= percent / 100, in exact integer arithmetic (limits are capped far below overflow)
        if (Math.multiplyExact(used, 100L) >= Math.multiplyExact(limit, (long) budget.softAlertPercent())) {
            reached.add(Threshold.SOFT_THRESHOLD);
        }
        if (used >= limit) {
            reached.add(Threshold.EXHAUSTED);
        }
        return reached;
    }

    private Uni<Void> announce(SqlClient connection, TenantId tenant, Budget budget, WindowState window,
            Threshold threshold) {
        return connection.preparedQuery("""
                INSERT INTO budget_alert_marks (tenant_id, window_kind, period_start, threshold)
                VALUES ($1, $2, $3, $4)
                ON CONFLICT DO NOTHING
                """)
                .execute(Tuple.of(tenant.value(), window.window().name(), window.periodStart(), threshold.name()))
                .chain(inserted -> inserted.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : outbox.append(connection, OutboxMessage.forTenant(topic,
                                EventHeaders.newEvent(tenant, null), payload(tenant, budget, window, threshold))));
    }

    private String payload(TenantId tenant, Budget budget, WindowState window, Threshold threshold) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("schemaVersion", 1);
        event.put("type", "budget.threshold-reached");
        event.put("tenantId", tenant.toString());
        event.put("window", window.window().name());
        event.put("periodStart", window.periodStart().toString());
        event.put("threshold", threshold.name());
        event.put("softAlertPercent", budget.softAlertPercent());
        event.put("mode", budget.mode().name());
        event.put("limitMicros", budget.limit(window.window()));
        event.put("spentMicros", window.spentMicros());
        event.put("reservedMicros", window.reservedMicros());
        event.put("at", clock.instant().toString());
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serializes", e);
        }
    }
}
