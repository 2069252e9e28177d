package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fault: PostgreSQL terminates job-service's and scheduler-service's connections again and again while jobs are
 * claimed and run and new tenants' schedules are swept and emitted. The pools reconnect; no job runs twice (one
 * completed attempt, one distinct COMPLETED event) and no schedule slot is emitted twice (one event id per dedup key
 * on jobs.requested).
 */
class PostgresBackendsTerminatedIT {

    private static final int TENANTS = 3;
    private static final int JOBS_PER_TENANT = 30;
    private static final Duration TERMINATING = Duration.ofSeconds(10);
    private static final String TERMINATE = """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname IN ('cloudsentinel_jobs', 'cloudsentinel_scheduler') AND usename = 'cs_app'""";

    @Test
    void terminatedBackendsNeitherRunAJobTwiceNorEmitASlotTwice() throws Exception {
        List<Caller> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add(Caller.tenantAdmin(UUID.randomUUID()));
        }
        AtomicInteger terminated = new AtomicInteger();
        CompletableFuture<Void> terminating = CompletableFuture.runAsync(() -> terminateFor(TERMINATING,
                terminated));
        try (JobRequests producer = new JobRequests()) {
            for (Caller tenant : tenants) {
                // its first request makes it active: its schedules are due at once, swept while backends die
                assertThat(tenant.get("/api/v1/budgets/me").status()).isEqualTo(200);
                for (int i = 0; i < JOBS_PER_TENANT; i++) {
                    producer.noop(tenant.tenant, "pg-fault-" + i, 100);
                }
            }
        }
        terminating.get();
        assertThat(terminated.get()).as("backends terminated").isPositive();

        List<String> requested = new ArrayList<>();
        for (Caller tenant : tenants) {
            requested.addAll(Jobs.awaitNoopsCompletedOnce(tenant, JOBS_PER_TENANT));
            await().atMost(Duration.ofSeconds(60)).until(() -> tenant.get("/api/v1/schedules/me").json()
                    .path("schedules"), schedules -> schedules.size() > 0 && allEmitted(schedules));
        }
        Map<String, Set<String>> completed = await().atMost(Duration.ofSeconds(60))
                .until(() -> Jobs.completedEvents(tenants), found -> found.keySet().containsAll(requested));
        assertThat(requested).allSatisfy(job -> assertThat(completed.get(job)).as("distinct COMPLETED event ids of %s",
                job).hasSize(1));

        for (Caller tenant : tenants) {
            // its 30 requests and the scheduler's emissions, as the topic holds them: one event id per dedup key
            Map<String, Set<String>> emissions = await().atMost(Duration.ofSeconds(30)).until(() -> emissions(tenant),
                    found -> found.keySet().stream().filter(key -> key.startsWith("pg-fault-")).count() == JOBS_PER_TENANT
                            && found.keySet().stream().anyMatch(key -> !key.startsWith("pg-fault-")));
            assertThat(emissions).allSatisfy((key, events) -> assertThat(events)
                    .as("distinct event ids under dedup key %s of %s", key, tenant).hasSize(1));
        }
    }

    private static Map<String, Set<String>> emissions(Caller tenant) {
        Map<String, Set<String>> emissions = new HashMap<>();
        for (TopicLog.Event event : TopicLog.of("jobs.requested").ofTenant(tenant.tenant)) {
            emissions.computeIfAbsent(event.json().path("dedupKey").asText(), key -> new HashSet<>())
                    .add(event.header("event-id"));
        }
        return emissions;
    }

    private static boolean allEmitted(JsonNode schedules) {
        for (JsonNode schedule : schedules) {
            if (schedule.path("emitted").asBoolean() && (schedule.path("lastSlotStart").isNull()
                    || schedule.path("lastSlotStart").isMissingNode())) {
                return false;
            }
        }
        return true;
    }

    /** Terminates the services' backends every 200 ms for {@code period}, counting them. */
    private static void terminateFor(Duration period, AtomicInteger terminated) {
        long end = System.nanoTime() + period.toNanos();
        try (Connection admin = DriverManager.getConnection(SuiteUnderTest.stack().postgresAdminUrl("postgres"));
                Statement statement = admin.createStatement()) {
            while (System.nanoTime() < end) {
                try (ResultSet killed = statement.executeQuery(TERMINATE)) {
                    killed.next();
                    terminated.addAndGet(killed.getInt(1));
                }
                Thread.sleep(200);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate backends", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
