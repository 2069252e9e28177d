package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.handler.CostAnomalyHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code cost_anomaly_detection} run by the worker on daily costs written straight into {@code cost_daily}: a planted
 * spike is stored once, listed, and notified once to the tenant's webhook (a receiver on 127.0.0.1, the secret
 * sealed by the real crypto-service); noise is not an anomaly; a tenant sees only its own. Each test has fresh
 * tenants; "today" is the real UTC day, the series end yesterday.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class CostAnomalyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DATABASE = "cloudsentinel_jobs";
    private static final String ANOMALIES = "/api/v1/costs/anomalies";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebhookReceiver receiver;

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void startWorker() {
        worker.start();
    }

    @AfterEach
    void stopWorker() {
        worker.stop(Duration.ZERO);
    }

    @Test
    void aPlantedSpikeIsStoredListedAndNotifiedOnceAndARepeatedRunAddsNothing() throws Exception {
        subscribe(tenant);
        List<BigDecimal> costs = noisy(40, 5);
        noisySeries(tenant, "aws-cur", costs);
        // the spike day's second source: only the sum over sources is out of the baseline
        LocalDate spikeDay = today.minusDays(2);
        daily(tenant, "aws-marketplace", spikeDay, "Usage", "3000.00");
        BigDecimal spikeCost = costs.get(38).add(new BigDecimal("3000.00"));

        run(tenant, "{}");

        assertThat(anomalies(tenant)).isOne();
        JsonPath listed = Api.as(tenant).get(ANOMALIES).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("anomalies")).hasSize(1);
        String id = listed.getString("anomalies[0].id");
        assertThat(listed.getString("anomalies[0].day")).isEqualTo(spikeDay.toString());
        assertThat(listed.getString("anomalies[0].currency")).isEqualTo("USD");
        assertThat(listed.getString("anomalies[0].service")).isEqualTo("Amazon EC2");
        assertThat(listed.getString("anomalies[0].subAccount")).isEqualTo("111122223333");
        assertThat(listed.getString("anomalies[0].region")).isEqualTo("us-east-1");
        assertThat(new BigDecimal(listed.getString("anomalies[0].effectiveCost"))).isEqualByComparingTo(spikeCost);
        BigDecimal median = new BigDecimal(listed.getString("anomalies[0].baselineMedian"));
        assertThat(new BigDecimal(listed.getString("anomalies[0].impact")))
                .isEqualByComparingTo(spikeCost.subtract(median));
        assertThat(new BigDecimal(listed.getString("anomalies[0].score"))).isGreaterThan(new BigDecimal("3.5"));

        assertThat(notifications(tenant)).isOne();
        assertThat(notifications(tenant, "dedup_key = 'event:anomaly:" + id + "'")).isOne();
        await().atMost(WAIT).until(() -> deliveries(tenant).size() == 1);
        WebhookReceiver.Delivery delivery = deliveries(tenant).get(0);
        assertThat(delivery.header("webhook-id")).isEqualTo("anomaly:" + id);
        JsonNode body = JSON.readTree(delivery.body());
        assertThat(body.path("type").asText()).isEqualTo("cost.anomaly_detected");
        JsonNode data = body.path("data");
        assertThat(data.path("anomalyId").asText()).isEqualTo(id);
        assertThat(data.path("day").asText()).isEqualTo(spikeDay.toString());
        assertThat(data.path("service").asText()).isEqualTo("Amazon EC2");
        assertThat(new BigDecimal(data.path("effectiveCost").asText())).isEqualByComparingTo(spikeCost);
        assertThat(new BigDecimal(data.path("baselineMedian").asText())).isEqualByComparingTo(median);
        assertThat(data.path("score").isNumber()).isTrue();

        run(tenant, "{}");

        assertThat(anomalies(tenant)).as("anomalies after the second run").isOne();
        assertThat(notifications(tenant)).as("notifications after the second run").isOne();
        assertThat(Api.as(tenant).get(ANOMALIES).then().statusCode(200).extract().jsonPath()
                .getList("anomalies")).hasSize(1);
    }

    @Test
    void aNoisySeriesWithoutASpikeHasNoAnomaly() {
        subscribe(tenant);
        noisySeries(tenant, "aws-cur", noisy(40, 9));

        run(tenant, "{}");

        assertThat(anomalies(tenant)).isZero();
        assertThat(notifications(tenant)).isZero();
    }

    @Test
    void onlyUsageCostCounts() {
        noisySeries(tenant, "aws-cur", noisy(40, 9));
        // a reservation bought yesterday: a large charge of the same service, but not Usage
        daily(tenant, "aws-cur", today.minusDays(1), "Purchase", "50000.00");

        run(tenant, "{}");

        assertThat(anomalies(tenant)).isZero();
    }

    @Test
    void thePayloadsDaysEvaluateFurtherBackThanTheConfiguredThree() {
        List<BigDecimal> costs = noisy(40, 5);
        costs.set(32, new BigDecimal("5000.00"));
        noisySeries(tenant, "aws-cur", costs);

        run(tenant, "{}");
        assertThat(anomalies(tenant)).as("a spike 8 days ago, 3 days evaluated").isZero();

        run(tenant, "{\"days\": 10}");
        assertThat(anomalies(tenant)).as("10 days evaluated").isOne();
        assertThat(Api.as(tenant).get(ANOMALIES).then().statusCode(200).extract().jsonPath()
                .getString("anomalies[0].day")).isEqualTo(today.minusDays(8).toString());
    }

    @Test
    void anotherTenantSeesNoneOfTheTenantsAnomaliesNorFindsThemInItsOwnRun() {
        List<BigDecimal> costs = noisy(40, 5);
        costs.set(39, new BigDecimal("9000.00"));
        noisySeries(tenant, "aws-cur", costs);
        run(tenant, "{}");
        assertThat(anomalies(tenant)).isOne();

        run(other, "{}");

        assertThat(anomalies(other)).isZero();
        assertThat(Api.as(other).get(ANOMALIES).then().statusCode(200).extract().jsonPath().getList("anomalies"))
                .isEmpty();
        assertThat(Api.as(other, Roles.TENANT_ADMIN).get(ANOMALIES).then().statusCode(200).extract().jsonPath()
                .getList("anomalies")).isEmpty();
        assertThat(Api.as(tenant).get(ANOMALIES).then().statusCode(200).extract().jsonPath().getList("anomalies"))
                .hasSize(1);
    }

    @Test
    void theListPagesNewestDayFirstWithinFromAndTo() {
        UUID recent = anomaly(tenant, today.minusDays(1));
        UUID middle = anomaly(tenant, today.minusDays(5));
        UUID old = anomaly(tenant, today.minusDays(20));
        anomaly(tenant, today.minusDays(120));

        JsonPath first = Api.as(tenant).queryParam("limit", 2).get(ANOMALIES).then().statusCode(200).extract()
                .jsonPath();
        assertThat(first.getList("anomalies.id")).containsExactly(recent.toString(), middle.toString());
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotNull();
        JsonPath second = Api.as(tenant).queryParam("limit", 2).queryParam("cursor", cursor).get(ANOMALIES).then()
                .statusCode(200).extract().jsonPath();
        assertThat(second.getList("anomalies.id")).as("the 120-day-old one is outside the default 90 days")
                .containsExactly(old.toString());
        assertThat(second.getString("nextCursor")).isNull();

        JsonPath window = Api.as(tenant).queryParam("from", today.minusDays(6).toString())
                .queryParam("to", today.minusDays(2).toString()).get(ANOMALIES).then().statusCode(200).extract()
                .jsonPath();
        assertThat(window.getList("anomalies.id")).containsExactly(middle.toString());
        assertThat(Api.as(tenant).queryParam("from", today.minusDays(200).toString()).get(ANOMALIES).then()
                .statusCode(200).extract().jsonPath().getList("anomalies")).hasSize(4);
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        Map<String, String> refused = Map.of("from", "yesterday", "to", "2026-13-01", "limit", "0", "cursor",
                "not-a-cursor");
        refused.forEach((name, value) -> Api.as(tenant).queryParam(name, value).get(ANOMALIES).then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", is(name)));
        Api.as(tenant).queryParam("limit", 201).get(ANOMALIES).then().statusCode(400);
        Api.as(tenant).queryParam("from", "2026-06-02").queryParam("to", "2026-06-01").get(ANOMALIES).then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", is("from"));
        Api.asService(tenant).get(ANOMALIES).then().statusCode(403).contentType("application/problem+json");
    }

    /** Runs one job of the type for the tenant through the queue and the worker, to its completion. */
    private static void run(TenantId tenant, String payload) {
        UUID job = Jobs.submit(tenant, CostAnomalyHandler.TYPE, payload);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(JobRows.state(job)));
    }

    private static void subscribe(TenantId tenant) {
        Api.as(tenant, Roles.TENANT_ADMIN).body(Map.of("url", receiver.url("/hook/" + tenant), "events",
                List.of("cost.anomaly_detected"))).put("/api/v1/jobs/settings/webhook").then().statusCode(201);
    }

    private static List<WebhookReceiver.Delivery> deliveries(TenantId tenant) {
        return receiver.deliveries().stream().filter(d -> d.path().equals("/hook/" + tenant)).toList();
    }

    /** Days around 1,000 with ±30% of uniform noise, the same on every run (as AnomalyDetectorTest's). */
    private static List<BigDecimal> noisy(int days, long seed) {
        Random random = new Random(seed);
        List<BigDecimal> costs = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            costs.add(BigDecimal.valueOf(70_000 + random.nextInt(60_001), 2));
        }
        return costs;
    }

    /** The costs as the Usage of one EC2 series, the last one yesterday. */
    private void noisySeries(TenantId tenant, String source, List<BigDecimal> costs) {
        for (int i = 0; i < costs.size(); i++) {
            daily(tenant, source, today.minusDays(costs.size() - i), "Usage", costs.get(i).toPlainString());
        }
    }

    private static void daily(TenantId tenant, String source, LocalDate day, String category, String cost) {
        sql("""
                INSERT INTO cost_daily (tenant_id, source, billing_period_start, day, billing_currency, charge_category,
                                        service_name, sub_account_id, region_id, billed_cost, effective_cost, row_count)
                VALUES ('%s', '%s', date_trunc('month', DATE '%s')::timestamp AT TIME ZONE 'UTC', DATE '%s', 'USD',
                        '%s', 'Amazon EC2', '111122223333', 'us-east-1', %s, %s, 3)
                """.formatted(tenant, source, day, day, category, cost, cost));
    }

    /** A stored anomaly, as the handler would have written it. */
    private static UUID anomaly(TenantId tenant, LocalDate day) {
        UUID id = UUID.randomUUID();
        sql("""
                INSERT INTO cost_anomalies (tenant_id, id, series_key, day, billing_currency, service_name,
                                            sub_account_id, region_id, effective_cost, baseline_median, baseline_mad,
                                            impact, score, detected_at)
                VALUES ('%s', '%s', 'USD/Amazon+EC2//', DATE '%s', 'USD', 'Amazon EC2', '', '', 1500, 1000, 50, 500,
                        6.74, now())
                """.formatted(tenant, id, day));
        return id;
    }

    private static long anomalies(TenantId tenant) {
        return WebhookRows.count("SELECT count(*) FROM cost_anomalies WHERE tenant_id = '" + tenant + "'");
    }

    private static long notifications(TenantId tenant) {
        return notifications(tenant, "true");
    }

    private static long notifications(TenantId tenant, String condition) {
        return WebhookRows.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant
                + "' AND job_type = 'notification' AND payload ->> 'type' = 'cost.anomaly_detected' AND ("
                + condition + ")");
    }

    /** As the database's administrator, past row-level security: the tests write what the importer would. */
    private static void sql(String statement) {
        try (Connection admin = PostgresServer.shared().adminConnection(DATABASE);
                Statement run = admin.createStatement()) {
            run.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
