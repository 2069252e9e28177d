package io.cloudsentinel.jobs;

import static io.cloudsentinel.testing.Reactive.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.jobs.costs.FocusCsv;
import io.cloudsentinel.jobs.service.CostRetention;
import io.cloudsentinel.jobs.store.ExpiredCostPeriods.ExpiredPeriod;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The cost retention: billing periods older than cs.jobs.costs.retention (400 days) go with their daily and tag sums
 * for every tenant, recent ones stay as they were, imports that finished before the cutoff go with their rejected
 * rows, a second pass finds nothing, the deletion takes its turn with the source's imports, and the sweep's system
 * task can read the daily sums and nothing else.
 */
@QuarkusTest
@JobsTestResources
class CostRetentionTest {

    private static final String IMPORTS = "/api/v1/costs/imports";
    private static final String SOURCE = "aws";

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();
    /** Two years back: well past the retention; the last month: well within it. */
    private final YearMonth old = YearMonth.now(ZoneOffset.UTC).minusYears(2);
    private final YearMonth recent = YearMonth.now(ZoneOffset.UTC).minusMonths(1);

    @Inject
    CostRetention retention;

    @Inject
    MeterRegistry registry;

    @Test
    void expiredPeriodsGoForEveryTenantWithTheirSumsAndOldImportsWhileRecentOnesStayAsTheyWere() {
        Map<TenantId, Planted> planted = Map.of(tenant, plant(tenant), other, plant(other));
        Map<TenantId, String> recentSummaries = new HashMap<>();
        for (TenantId each : planted.keySet()) {
            assertThat(count("cost_rows", each, old)).isEqualTo(20);
            assertThat(count("cost_daily", each, old)).isPositive();
            assertThat(count("cost_daily_tags", each, old)).isPositive();
            assertThat(summary(each, old, "service")).contains("\"currency\":\"USD\"");
            recentSummaries.put(each, summary(each, recent, "service") + summary(each, recent, "tag:team"));
        }
        Map<TenantId, long[]> recentCounts = Map.of(tenant, counts(tenant, recent), other, counts(other, recent));
        double deletedBefore = deletedPeriodsMetric();

        CostRetention.Swept swept = await(retention::sweep);

        Instant oldStart = old.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        assertThat(swept.periods()).contains(new ExpiredPeriod(tenant, SOURCE, oldStart),
                new ExpiredPeriod(other, SOURCE, oldStart));
        assertThat(swept.periods()).allMatch(period -> period.billingPeriodStart().isBefore(swept.cutoff()));
        assertThat(deletedPeriodsMetric() - deletedBefore).isEqualTo(swept.periods().size());
        for (TenantId each : planted.keySet()) {
            assertThat(count("cost_rows", each, old)).as("rows").isZero();
            assertThat(count("cost_daily", each, old)).as("daily sums").isZero();
            assertThat(count("cost_daily_tags", each, old)).as("tag sums").isZero();
            assertThat(summary(each, old, "service")).contains("\"currencies\":[]");
            assertThat(counts(each, recent)).as("the recent period").containsExactly(recentCounts.get(each));
            assertThat(summary(each, recent, "service") + summary(each, recent, "tag:team"))
                    .isEqualTo(recentSummaries.get(each));

            Planted imports = planted.get(each);
            assertThat(importIds(each)).containsExactlyInAnyOrder(imports.recent(), imports.recentFailed());
            assertThat(Db.count("SELECT count(*) FROM cost_import_rejections WHERE tenant_id = '" + each
                    + "' AND import_id = '" + imports.oldFailed() + "'")).as("the old import's rejected rows").isZero();
            assertThat(Db.count("SELECT count(*) FROM cost_import_rejections WHERE tenant_id = '" + each
                    + "' AND import_id = '" + imports.recentFailed() + "'")).isEqualTo(1);
            Api.as(each).get(IMPORTS + "/" + imports.old()).then().statusCode(404);
        }

        assertThat(await(retention::sweep).nothing()).as("a second pass").isTrue();
    }

    @Test
    void anImportThatFinishedBeforeTheCutoffButHoldsAPeriodThatIsKeptStays() {
        String holdsBoth = upload(tenant, csv(rows(old, 10, "USD"), rows(recent, 10, "USD"))).then().statusCode(201)
                .extract().path("id");
        String oldOnly = upload(tenant, csv(rows(old.plusMonths(1), 10, "USD"))).then().statusCode(201)
                .extract().path("id");
        finishedTwoYearsAgo(tenant, holdsBoth);
        finishedTwoYearsAgo(tenant, oldOnly);

        await(retention::sweep);

        assertThat(count("cost_rows", tenant, old)).isZero();
        assertThat(count("cost_rows", tenant, recent)).isEqualTo(10);
        assertThat(importIds(tenant)).containsExactly(holdsBoth);
    }

    @Test
    void theDeletionTakesItsTurnWithTheImportsOfItsSource() throws Exception {
        upload(tenant, csv(rows(old, 10, "USD"))).then().statusCode(201);
        try (Connection owner = owner()) {
            owner.setAutoCommit(false);
            // what an import of this source holds while it swaps its periods (CostPeriodReplace)
            try (PreparedStatement lock = owner.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended('cost-import:' || ? || '/' || ?, 0))")) {
                lock.setString(1, tenant.toString());
                lock.setString(2, SOURCE);
                lock.execute();
            }
            CompletableFuture<CostRetention.Swept> sweeping = CompletableFuture.supplyAsync(() -> await(
                    retention::sweep));

            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForAdvisoryLock(owner));
            assertThat(sweeping).isNotDone();
            assertThat(count("cost_rows", tenant, old)).as("while the import holds its turn").isEqualTo(10);

            owner.commit();
            assertThat(sweeping.get(30, java.util.concurrent.TimeUnit.SECONDS).periods()).extracting(ExpiredPeriod::tenant)
                    .contains(tenant);
        }
        assertThat(count("cost_rows", tenant, old)).isZero();
    }

    @Test
    void theSweepsSystemTaskReadsTheDailySumsAndNothingElse() throws SQLException {
        // rows in every table: a policy is only evaluated on a row, an empty table refuses nothing
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"tagKeys\": [\"team\"]}").put("/api/v1/costs/settings").then()
                .statusCode(200);
        upload(tenant, csv(rows(recent, 10, "USD"))).then().statusCode(201);
        try (Connection task = DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.APP_ROLE,
                PostgresServer.APP_PASSWORD); Statement statement = task.createStatement()) {
            statement.execute("SELECT set_config('role', 'cs_system', false),"
                    + " set_config('app.system_task', 'cost-retention', false)");
            statement.executeQuery("SELECT count(*) FROM cost_daily").close();
            for (String refused : List.of("SELECT count(*) FROM cost_rows", "SELECT count(*) FROM cost_imports",
                    "SELECT count(*) FROM cost_daily_tags", "DELETE FROM cost_daily")) {
                assertThatThrownBy(() -> statement.execute(refused)).as(refused).isInstanceOf(SQLException.class)
                        .extracting(failure -> ((SQLException) failure).getSQLState()).isEqualTo("42501");
            }
        }
    }

    @Test
    void thePassLogsTheTenantsAndCountsItDeletedAndNoCostData() {
        upload(tenant, csv(rows(old, 10, "USD"))).then().statusCode(201);

        try (CapturedLog log = CapturedLog.start()) {
            await(retention::sweep);
            List<String> lines = log.of(CostRetention.class, "INFO");
            assertThat(lines).filteredOn(line -> line.contains(tenant.toString())).singleElement().asString()
                    .contains("deleted 1 billing periods (10 cost rows").doesNotContain("Amazon", "USD", SOURCE);
        }
    }

    /** What each tenant has: an old and a recent period of one source, their imports, and failed ones of both ages. */
    private record Planted(String old, String recent, String oldFailed, String recentFailed) {
    }

    private Planted plant(TenantId of) {
        Api.as(of, Roles.TENANT_ADMIN).body("{\"tagKeys\": [\"team\"]}").put("/api/v1/costs/settings").then()
                .statusCode(200);
        String oldImport = upload(of, csv(rows(old, 20, "USD"))).then().statusCode(201).extract().path("id");
        String recentImport = upload(of, csv(rows(recent, 30, "USD"))).then().statusCode(201).extract().path("id");
        List<Map<String, String>> bad = rows(old, 5, "USD");
        bad.get(2).put("BilledCost", "12,5");
        String oldFailed = upload(of, csv(bad)).then().statusCode(422).extract().path("importId");
        String recentFailed = upload(of, csv(bad)).then().statusCode(422).extract().path("importId");
        finishedTwoYearsAgo(of, oldImport);
        finishedTwoYearsAgo(of, oldFailed);
        assertThat(Db.count("SELECT count(*) FROM cost_import_rejections WHERE tenant_id = '" + of
                + "' AND import_id = '" + oldFailed + "'")).isEqualTo(1);
        return new Planted(oldImport, recentImport, oldFailed, recentFailed);
    }

    private static void finishedTwoYearsAgo(TenantId of, String importId) {
        Db.execute("UPDATE cost_imports SET started_at = now() - interval '2 years 1 minute',"
                + " finished_at = now() - interval '2 years' WHERE tenant_id = '" + of + "' AND id = '" + importId
                + "'");
    }

    private static List<String> importIds(TenantId of) {
        return Api.as(of).get(IMPORTS).then().statusCode(200).extract().jsonPath().getList("imports.id");
    }

    private static long count(String table, TenantId of, YearMonth period) {
        return Db.count("SELECT count(*) FROM " + table + " WHERE tenant_id = '" + of + "' AND billing_period_start = "
                + Db.literal(period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
    }

    private static long[] counts(TenantId of, YearMonth period) {
        return new long[] { count("cost_rows", of, period), count("cost_daily", of, period),
                count("cost_daily_tags", of, period) };
    }

    private static String summary(TenantId of, YearMonth month, String groupBy) {
        return Api.as(of).queryParam("groupBy", groupBy).queryParam("from", month.atDay(1).toString())
                .queryParam("to", month.plusMonths(1).atDay(1).toString()).get("/api/v1/costs/summary").then()
                .statusCode(200).extract().asString();
    }

    private double deletedPeriodsMetric() {
        return registry.counter("cs_costs_retention_deleted_periods_total").count();
    }

    private static boolean waitingForAdvisoryLock(Connection owner) throws SQLException {
        try (Statement statement = owner.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND NOT granted")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(Db.jdbcUrl(), DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
    }

    private static Response upload(TenantId of, FocusCsv csv) {
        return Api.as(of, Roles.TENANT_ADMIN).contentType("text/csv").queryParam("source", SOURCE).body(csv.bytes())
                .post(IMPORTS);
    }

    @SafeVarargs
    private static FocusCsv csv(List<Map<String, String>>... parts) {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        for (List<Map<String, String>> part : parts) {
            part.forEach(csv::row);
        }
        return csv;
    }

    /** Usage rows of one billing period, spread over its days, two services and two teams. */
    private static List<Map<String, String>> rows(YearMonth month, int count, String currency) {
        LocalDate first = month.atDay(1);
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> {
            LocalDate day = first.plusDays(i % month.lengthOfMonth());
            Map<String, String> row = new HashMap<>();
            row.put("BilledCost", BigDecimal.valueOf(1_000 + i, 3).toPlainString());
            row.put("EffectiveCost", BigDecimal.valueOf(900 + i, 3).toPlainString());
            row.put("BillingCurrency", currency);
            row.put("BillingPeriodStart", first + "T00:00:00Z");
            row.put("BillingPeriodEnd", first.plusMonths(1) + "T00:00:00Z");
            row.put("ChargePeriodStart", day + "T00:00:00Z");
            row.put("ChargePeriodEnd", day.plusDays(1) + "T00:00:00Z");
            row.put("ChargeCategory", "Usage");
            row.put("ServiceName", i % 2 == 0 ? "Amazon EC2" : "Amazon S3");
            row.put("SubAccountId", "acct-1");
            row.put("RegionId", "us-east-1");
            row.put("Tags", "{\"team\":\"team-" + (i % 2) + "\"}");
            return row;
        }).collect(java.util.stream.Collectors.toList());
    }
}
