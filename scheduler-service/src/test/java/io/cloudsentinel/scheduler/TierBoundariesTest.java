package io.cloudsentinel.scheduler;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.scheduler.service.ActivityRecorder;
import io.cloudsentinel.scheduler.service.Sweeper;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The tier has one owner, {@code cs_tier()}: the activity that sets it, the API that shows it, the sweep that runs by
 * it and the operators' counts all read the same tier for the same last activity, at the thresholds too ("within"
 * is strict, at the microsecond PostgreSQL keeps). A second definition anywhere that differs even at a boundary turns
 * this red.
 */
@QuarkusTest
@SchedulerTestResources
class TierBoundariesTest {

    private static final Duration MICROSECOND = Duration.ofNanos(1_000);

    @Inject
    ActivityRecorder recorder;
    @Inject
    Sweeper sweeper;
    @Inject
    TierPolicy tiers;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        Db.truncateAll();
        TestClock.freezeAt(now);
    }

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void everyReaderSeesTheSameTierBoundariesIncluded() throws Exception {
        Duration active = tiers.activeWithin();
        Duration normal = tiers.normalWithin();
        List<Instant> activities = new ArrayList<>(List.of(
                now.plus(Duration.ofMinutes(5)), // a producer's fast clock: counted as now
                now.plusSeconds(30),
                now,
                now.minus(active).plus(MICROSECOND),
                now.minus(active),
                now.minus(active).minus(MICROSECOND),
                now.minus(normal).plus(MICROSECOND),
                now.minus(normal),
                now.minus(normal).minus(MICROSECOND),
                now.minus(Duration.ofDays(400))));
        for (int i = 0; i < 200; i++) {
            long micros = ThreadLocalRandom.current().nextLong(normal.plusDays(1).toNanos() / 1_000);
            activities.add(now.minusNanos(micros * 1_000));
        }

        Map<TenantId, Tier> expected = new LinkedHashMap<>();
        for (Instant activity : activities) {
            TenantId tenant = TenantId.random();
            Tier recorded = await(() -> recorder.record(tenant, activity)).tier();
            expected.put(tenant, tierWithin(activity, active, normal));
            assertThat(recorded).as("activity %s recorded", activity).isEqualTo(expected.get(tenant));
        }
        // never active: the tenant an admin configures before any activity
        TenantId neverActive = TenantId.random();
        Api.as(neverActive, Roles.TENANT_ADMIN).body("{\"enabled\":true}").put("/api/v1/schedules/me/cost_ingestion")
                .then().statusCode(200);
        expected.put(neverActive, Tier.DORMANT);

        for (Map.Entry<TenantId, Tier> tenant : expected.entrySet()) {
            assertThat(Api.as(tenant.getKey()).get("/api/v1/schedules/me").then().statusCode(200).extract()
                    .<String> path("tier")).as("the API's tier of %s", tenant.getKey())
                    .isEqualTo(tenant.getValue().name());
        }

        await(sweeper::sweep);
        Map<TenantId, Tier> swept = tiersTheSweepRanBy();
        assertThat(swept).as("the sweep's tiers, read from the interval it advanced each schedule by")
                .containsExactlyInAnyOrderEntriesOf(expected);

        Map<String, Integer> counted = Api.as(TenantId.random(), Roles.PLATFORM_ADMIN).get("/api/v1/schedules/stats")
                .then().statusCode(200).extract().path("tenantsByTier");
        Map<String, Integer> expectedCounts = new HashMap<>();
        for (Tier tier : Tier.values()) {
            expectedCounts.put(tier.name(), (int) expected.values().stream().filter(tier::equals).count());
        }
        assertThat(counted).as("the operators' counts").isEqualTo(expectedCounts);
        assertThat(expectedCounts.values()).as("every tier is exercised").allMatch(count -> count > 1);
    }

    /** The rule as the README states it: active within active-within, normal within normal-within, else dormant. */
    private Tier tierWithin(Instant activity, Duration active, Duration normal) {
        Duration since = Duration.between(activity, now); // negative for an activity ahead of now
        if (since.compareTo(active) < 0) {
            return Tier.ACTIVE;
        }
        return since.compareTo(normal) < 0 ? Tier.NORMAL : Tier.DORMANT;
    }

    /** Each tenant's tier as the sweep used it: the interval it moved cost_ingestion on by names the tier. */
    private Map<TenantId, Tier> tiersTheSweepRanBy() throws SQLException {
        Map<Long, Tier> byInterval = new HashMap<>();
        for (Tier tier : Tier.values()) {
            byInterval.put(tiers.every(tier).toSeconds(), tier);
        }
        assertThat(byInterval).as("the tiers' intervals tell them apart").hasSize(Tier.values().length);
        Map<TenantId, Tier> swept = new HashMap<>();
        try (Connection connection = Db.system();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tenant_id,"
                        + " extract(epoch FROM next_run_at - last_slot_start)::bigint FROM schedules"
                        + " WHERE job_type = 'cost_ingestion'")) {
            while (rows.next()) {
                swept.put(new TenantId((UUID) rows.getObject(1)), byInterval.get(rows.getLong(2)));
            }
        }
        return swept;
    }
}
