package io.cloudsentinel.jobs.handler;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudsentinel.jobs.WebhookEvents;
import io.cloudsentinel.jobs.config.CostAnomalyConfig;
import io.cloudsentinel.jobs.costs.AnomalyDetector;
import io.cloudsentinel.jobs.costs.CostSeries;
import io.cloudsentinel.jobs.costs.DetectedAnomaly;
import io.cloudsentinel.jobs.service.Notifications;
import io.cloudsentinel.jobs.store.AnomalyWrite;
import io.cloudsentinel.jobs.store.CostSettingsRead;
import io.cloudsentinel.jobs.store.UsageSeriesRead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * {@code cost_anomaly_detection}: the tenant's daily Usage cost of each series on the last complete UTC days
 * against its own trailing baseline ({@link AnomalyDetector}, with the tenant's thresholds). In the attempt's fenced
 * transaction it stores what is new and queues one {@code cost.anomaly_detected} notification for each stored
 * anomaly (event id {@code anomaly:<id>}); a repeated run stores and notifies nothing.
 */
@ApplicationScoped
public class CostAnomalyHandler implements JobHandler {

    public static final String TYPE = "cost_anomaly_detection";
    public static final int MAX_DAYS = 31;

    private static final Logger LOG = Logger.getLogger(CostAnomalyHandler.class);

    private final CostSettingsRead settings;
    private final UsageSeriesRead usage;
    private final AnomalyWrite anomalies;
    private final Notifications notifications;
    private final CostAnomalyConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public CostAnomalyHandler(CostSettingsRead settings, UsageSeriesRead usage, AnomalyWrite anomalies,
            Notifications notifications, CostAnomalyConfig config, ObjectMapper json, Clock clock) {
        if (config.evaluatedDays() < 1 || config.evaluatedDays() > MAX_DAYS) {
            throw new IllegalStateException("cs.jobs.costs.anomaly.evaluated-days must be 1.." + MAX_DAYS);
        }
        this.settings = settings;
        this.usage = usage;
        this.anomalies = anomalies;
        this.notifications = notifications;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Any object; {@code days} evaluates that many complete days instead of the configured number. */
    @Override
    public String payloadSchema() {
        return """
                {"type": "object",
                 "properties": {"days": {"type": "integer", "minimum": 1, "maximum": %d}}}
                """.formatted(MAX_DAYS);
    }

    @Override
    public Uni<Void> run(JobRun run) {
        JsonNode days = run.payload() == null ? null : run.payload().get("days");
        int evaluated = days != null && days.canConvertToInt() ? days.intValue() : config.evaluatedDays();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate last = today.minusDays(1);
        LocalDate first = today.minusDays(evaluated);
        return run.inTenant(connection -> settings.of(connection, run.tenant()).chain(tenantSettings -> {
            AnomalyDetector detector = AnomalyDetector.of(tenantSettings);
            return usage.of(connection, run.tenant(), first.minusDays(AnomalyDetector.BASELINE_DAYS), first, last)
                    .map(series -> detect(detector, series, first, last))
                    .chain(found -> anomalies.insertNew(connection, run.tenant(), found, clock.instant()))
                    .call(stored -> notify(connection, run, stored))
                    .invoke(stored -> LOG.infof("%s job %s: %d new anomalies on %s..%s", TYPE, run.jobId(),
                            stored.size(), first, last));
        })).replaceWithVoid();
    }

    private static List<DetectedAnomaly> detect(AnomalyDetector detector, List<CostSeries> series, LocalDate first,
            LocalDate last) {
        List<DetectedAnomaly> found = new ArrayList<>();
        for (CostSeries one : series) {
            found.addAll(detector.detect(one, first, last));
        }
        return found;
    }

    private Uni<Void> notify(SqlConnection connection, JobRun run, List<AnomalyWrite.StoredAnomaly> stored) {
        List<Notifications.Event> events = stored.stream().map(one -> new Notifications.Event(run.tenant(),
                WebhookEvents.COST_ANOMALY_DETECTED, "anomaly:" + one.id(), data(one))).toList();
        return notifications.enqueueAll(connection, events);
    }

    /** Amounts as decimal strings, exact, in the series' currency. */
    private ObjectNode data(AnomalyWrite.StoredAnomaly stored) {
        DetectedAnomaly anomaly = stored.anomaly();
        return json.createObjectNode().put("anomalyId", stored.id().toString()).put("day", anomaly.day().toString())
                .put("currency", anomaly.series().currency()).put("service", anomaly.series().service())
                .put("subAccount", anomaly.series().subAccount()).put("region", anomaly.series().region())
                .put("effectiveCost", anomaly.effectiveCost().toPlainString())
                .put("baselineMedian", anomaly.baselineMedian().toPlainString())
                .put("impact", anomaly.impact().toPlainString()).put("score", anomaly.score().doubleValue());
    }
}
