package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.jobs.handler.FinopsAnalysisHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * {@code finops_analysis} end to end against the real budget-service and crypto-service and an OpenAI-compatible
 * stub: what each way a model call can end does to the tenant's hold (taken, settled exactly, released, charged at
 * the worst case), what is fatal, what is retried, and where the tenant's key goes (its own base URL only, nowhere
 * stored or logged).
 */
@QuarkusTest
@AnalysisTestResources
class AnalysisHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TEN_USD = 10_000_000;
    private static final String JOBS_DATABASE = "cloudsentinel_jobs";

    /** The platform's endpoint ({@code cs.jobs.analysis.platform.base-url}) and the tenants' own. */
    private static ModelStub platform;
    private static ModelStub tenants;

    private final TenantId tenant = TenantId.random();
    /** In each job's focus, so that its requests are known wherever they arrive. */
    private final String marker = "marker-" + UUID.randomUUID();
    private CapturedLog log;

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;
    /** The mapping, not a @ConfigProperty: every test class's injection points are checked wherever Quarkus starts. */
    @Inject
    AnalysisConfig analysis;
    private String platformKey;
    private int maxOutputTokens;

    @BeforeAll
    static void startStubs() throws Exception {
        URI platformUrl = URI.create(ConfigProvider.getConfig().getValue("cs.jobs.analysis.platform.base-url",
                String.class));
        platform = ModelStub.on(platformUrl.getPort());
        tenants = ModelStub.on(0);
    }

    @AfterAll
    static void stopStubs() {
        platform.close();
        tenants.close();
    }

    @BeforeEach
    void setUp() {
        platformKey = analysis.platform().apiKey().orElseThrow();
        maxOutputTokens = analysis.maxOutputTokens();
        Db.truncateAll();
        SettleAnswerLoss.lose(0);
        // budget calls' breakers are the application's: another test's failures must not open them for this one
        CircuitBreakerMaintenance.get().resetAll();
        log = CapturedLog.start();
        worker.start();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
        log.close();
    }

    @Test
    void theHoldIsTakenAndSettledWithExactlyTheUsageTheModelReportsAndTheAnalysisIsStoredAndAnnounced() {
        BudgetSibling.budget(tenant, TEN_USD);
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"url\": \"" + tenants.baseUrl(tenant) + "/hook\", \"events\":"
                + " [\"analysis.completed\"]}").put("/api/v1/jobs/settings/webhook").then().statusCode(201);
        platform.plan(ModelStub.PLATFORM, ModelStub.Reply.valid(1_234, 321));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.idempotencyKey()).isEqualTo("finops_analysis:" + job + ":1");
        assertThat(hold.status()).isEqualTo("SETTLED");
        assertThat(hold.settledInputTokens()).isEqualTo(1_234);
        assertThat(hold.settledOutputTokens()).isEqualTo(321);
        assertThat(BudgetSibling.entries(hold.id(), "SETTLE")).isEqualTo(1);
        assertThat(BudgetSibling.spent(tenant)).isEqualTo(hold.settledCostMicros());

        ModelStub.Seen request = requestsWithMarker(platform).get(0);
        assertThat(requestsWithMarker(platform)).hasSize(1);
        assertThat(request.authorization()).isEqualTo("Bearer " + platformKey);
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(request.body().path("max_tokens").asLong()).isEqualTo(maxOutputTokens)
                .isEqualTo(hold.maxOutputTokens());
        assertThat(request.body().path("temperature").asInt()).isZero();
        assertThat(request.body().at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(request.body().at("/messages/1/content").asText()).contains("EC2", "1234.56");

        JsonPath result = Api.as(tenant).get("/api/v1/jobs/" + job + "/result").then().statusCode(200).extract()
                .jsonPath();
        assertThat(result.getString("status")).isEqualTo("completed");
        assertThat(result.getString("model")).isEqualTo("gpt-4o-mini");
        assertThat(result.getLong("inputTokens")).isEqualTo(1_234);
        assertThat(result.getLong("outputTokens")).isEqualTo(321);
        assertThat(result.getLong("costMicros")).isEqualTo(hold.settledCostMicros());
        assertThat(result.getString("holdId")).isEqualTo(hold.id().toString());
        assertThat(result.getBoolean("usageEstimated")).isFalse();
        assertThat(result.getString("result.findings[0].severity")).isEqualTo("high");

        assertThat(jobsCount("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant + "' AND job_type ="
                + " 'notification' AND payload ->> 'eventId' = 'analysis:" + job + "' AND payload ->> 'type' ="
                + " 'analysis.completed' AND (payload -> 'data' ->> 'costMicros')::bigint = "
                + hold.settledCostMicros())).isEqualTo(1);
        assertThat(log.lines()).noneMatch(line -> line.contains(platformKey));
    }

    @Test
    void anAnswerWithoutUsageIsChargedAtTheHoldsWorstCaseFlaggedEstimated() {
        BudgetSibling.budget(tenant, TEN_USD);
        platform.plan(ModelStub.PLATFORM, ModelStub.Reply.withoutUsage());

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.settledInputTokens()).isEqualTo(hold.inputTokens());
        assertThat(hold.settledOutputTokens()).isEqualTo(hold.maxOutputTokens());
        JsonPath result = Api.as(tenant).get("/api/v1/jobs/" + job + "/result").then().statusCode(200).extract()
                .jsonPath();
        assertThat(result.getBoolean("usageEstimated")).isTrue();
        assertThat(result.getLong("costMicros")).isEqualTo(hold.settledCostMicros());
    }

    @Test
    void theHoldIsReleasedWhenTheModelCannotBeReached() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "openai-compatible", "gpt-4o-mini", "http://127.0.0.1:" + closed,
                "sk-unreachable-" + UUID.randomUUID());

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "DEAD_LETTER".equals(state(job)));

        List<BudgetSibling.HoldRow> holds = BudgetSibling.holds(tenant);
        assertThat(holds).hasSize(3).allMatch(hold -> hold.status().equals("RELEASED"));
        assertThat(BudgetSibling.spent(tenant)).isZero();
        assertThat(jobsText("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("could not be reached").contains("released");
    }

    @Test
    void anErrorWithoutUsageReleasesTheHoldAndTheRetryTakesANewHoldKeyedByItsAttempt() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "vllm", "llama-3.3-70b", tenants.baseUrl(tenant), null);
        tenants.plan(tenant, ModelStub.Reply.error(503, null, null), ModelStub.Reply.valid(900, 150));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        List<BudgetSibling.HoldRow> holds = BudgetSibling.holds(tenant);
        assertThat(holds).extracting(BudgetSibling.HoldRow::idempotencyKey)
                .containsExactly("finops_analysis:" + job + ":1", "finops_analysis:" + job + ":2");
        assertThat(holds.get(0).status()).isEqualTo("RELEASED");
        assertThat(BudgetSibling.entries(holds.get(0).id(), "SETTLE")).isZero();
        assertThat(holds.get(1).status()).isEqualTo("SETTLED");
        assertThat(holds.get(1).settledInputTokens()).isEqualTo(900);
        assertThat(holds.get(1).settledOutputTokens()).isEqualTo(150);
        assertThat(BudgetSibling.spent(tenant)).isEqualTo(holds.get(1).settledCostMicros());
        // a self-hosted model without a key gets no Authorization header, certainly not the platform's
        assertThat(tenants.seen(tenant)).hasSize(2).allMatch(request -> request.authorization() == null);
    }

    @Test
    void anErrorThatReportsUsageIsChargedItAndARefusalIsFatal() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "vllm", "llama-3.3-70b", tenants.baseUrl(tenant), null);
        tenants.plan(tenant, ModelStub.Reply.error(400, 50, 0));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "DEAD_LETTER".equals(state(job)));

        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.status()).isEqualTo("SETTLED");
        assertThat(hold.settledInputTokens()).isEqualTo(50);
        assertThat(hold.settledOutputTokens()).isZero();
        assertThat(attempts(job)).isEqualTo(1);
        assertThat(jobsText("SELECT last_error FROM jobs WHERE id = '" + job + "'")).startsWith("provider_refused:");
    }

    @Test
    void aModelThatHangsPastTheModelTimeoutIsChargedTheWorstCaseOnceAndItsLateAnswerChangesNothing() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "openai-compatible", "gpt-4o-mini", tenants.baseUrl(tenant),
                "sk-hang-" + UUID.randomUUID());
        tenants.plan(tenant, ModelStub.Reply.valid(700, 100).after(Duration.ofSeconds(4)),
                ModelStub.Reply.valid(800, 120));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        List<BudgetSibling.HoldRow> holds = BudgetSibling.holds(tenant);
        assertThat(holds).hasSize(2);
        BudgetSibling.HoldRow hung = holds.get(0);
        assertThat(hung.status()).isEqualTo("SETTLED");
        assertThat(hung.settledInputTokens()).isEqualTo(hung.inputTokens());
        assertThat(hung.settledOutputTokens()).isEqualTo(hung.maxOutputTokens());
        assertThat(jobsText("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("no complete answer").contains("estimated");
        assertThat(holds.get(1).settledInputTokens()).isEqualTo(800);
        // the hung request's answer comes at last, to a connection given up: the worst case stays the one charge
        await().atMost(WAIT).until(() -> tenants.answered(tenant) == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> BudgetSibling.entries(hung.id(), "SETTLE") == 1);
    }

    @Test
    void theTenantsFocusCostsAnomaliesAndIdleResourcesAreSummarisedIntoThePromptWithinItsTokenBudget() {
        BudgetSibling.budget(tenant, TEN_USD);
        platform.plan(ModelStub.PLATFORM, ModelStub.Reply.valid(900, 100));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        // EC2 doubled against the 30 days before; a service only in the older window is not a line of its own
        plantDaily(today.minusDays(3), "Amazon EC2", "EUR", "700.25");
        plantDaily(today.minusDays(40), "Amazon EC2", "EUR", "350.125");
        plantDaily(today.minusDays(45), "Amazon Glacier", "EUR", "9.5");
        Db.execute("INSERT INTO cost_anomalies (tenant_id, id, series_key, day, billing_currency, service_name,"
                + " effective_cost, baseline_median, baseline_mad, impact, score, detected_at) VALUES ('" + tenant
                + "', gen_random_uuid(), 'k', '" + today.minusDays(2) + "', 'EUR', 'Amazon EC2', 650, 20, 2, 630,"
                + " 212, now())");
        Db.execute("INSERT INTO cost_idle_resources (tenant_id, resource_id, billing_currency, service_name,"
                + " days_billed, effective_cost, first_day, last_day, detected_at) VALUES ('" + tenant
                + "', 'vol-idle-1', 'EUR', 'Amazon EBS', 14, 42.5, '" + today.minusDays(15) + "', '"
                + today.minusDays(1) + "', now())");

        UUID job = submit("{\"focus\": \"" + marker + "\"}");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        String prompt = requestsWithMarker(platform).get(0).body().at("/messages/1/content").asText();
        assertThat(prompt).contains("\"source\":\"focus_costs\"", "service Amazon EC2", "700.25", "(+100.0%)",
                "focus_anomaly", "630", "idle resource vol-idle-1", "42.5").doesNotContain("Glacier");

        // the tenant's own token budget for the prompt: so small that the smallest lines are left out
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"analysisMaxInputTokens\": 420}").put("/api/v1/costs/settings")
                .then().statusCode(200);
        platform.plan(ModelStub.PLATFORM, ModelStub.Reply.valid(400, 100));
        UUID bounded = submit("{\"focus\": \"" + marker + "-bounded\"}");
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(bounded)));
        String smaller = platform.seen().stream().filter(request -> request.body().toString()
                .contains(marker + "-bounded")).findFirst().orElseThrow().body().at("/messages/1/content").asText();
        assertThat(smaller).contains("linesLeftOut").doesNotContain("vol-idle-1");
    }

    private void plantDaily(java.time.LocalDate day, String service, String currency, String amount) {
        Db.execute("INSERT INTO cost_daily (tenant_id, source, billing_period_start, day, billing_currency,"
                + " charge_category, service_name, billed_cost, effective_cost, row_count) VALUES ('" + tenant
                + "', 'aws', date_trunc('month', '" + day + "'::date)::timestamptz, '" + day + "', '" + currency
                + "', 'Usage', '" + service + "', " + amount + ", " + amount + ", 1)");
    }

    @Test
    void aBudgetTooSmallForTheWorstCaseIsFatalAtOnceWithNoModelCall() {
        BudgetSibling.budget(tenant, 1);
        BudgetSibling.llmSettings(tenant, "openai-compatible", "gpt-4o-mini", tenants.baseUrl(tenant),
                "sk-poor-" + UUID.randomUUID());

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "DEAD_LETTER".equals(state(job)));

        assertThat(attempts(job)).isEqualTo(1);
        assertThat(jobsText("SELECT dead_reason FROM jobs WHERE id = '" + job + "'")).isEqualTo("budget_exceeded");
        assertThat(jobsText("SELECT last_error FROM jobs WHERE id = '" + job + "'")).startsWith("budget_exceeded:");
        assertThat(BudgetSibling.holds(tenant)).isEmpty();
        assertThat(tenants.seen(tenant)).isEmpty();
        assertThat(requestsWithMarker(platform)).isEmpty();
    }

    @Test
    void aSettlementRetriedAfterItsAnswerWasLostIsChargedOnce() {
        BudgetSibling.budget(tenant, TEN_USD);
        platform.plan(ModelStub.PLATFORM, ModelStub.Reply.valid(1_111, 222));
        SettleAnswerLoss.lose(1);

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));

        assertThat(SettleAnswerLoss.SETTLES_SENT.get()).as("the settlement and its retry").isEqualTo(2);
        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.settledInputTokens()).isEqualTo(1_111);
        assertThat(BudgetSibling.entries(hold.id(), "SETTLE")).isEqualTo(1);
        assertThat(BudgetSibling.spent(tenant)).isEqualTo(hold.settledCostMicros());
        assertThat(attempts(job)).isEqualTo(1);
    }

    @Test
    void anAnswerThatArrivesAfterTheAttemptWasCancelledIsSettledOnceWithItsRealUsage() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "openai-compatible", "gpt-4o-mini", tenants.baseUrl(tenant),
                "sk-late-" + UUID.randomUUID());
        CountDownLatch gate = new CountDownLatch(1);
        tenants.plan(tenant, ModelStub.Reply.valid(640, 90).afterGate(gate));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> tenants.seen(tenant).size() == 1);
        Api.as(tenant).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(202);
        await().atMost(WAIT).until(() -> "CANCELLED".equals(state(job)));
        gate.countDown();

        await().atMost(WAIT).until(() -> "SETTLED".equals(onlyHold().status()));
        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.settledInputTokens()).isEqualTo(640);
        assertThat(hold.settledOutputTokens()).isEqualTo(90);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> BudgetSibling.entries(hold.id(), "SETTLE") == 1);
        // the attempt is over: its answer is paid for, not stored
        Api.as(tenant).get("/api/v1/jobs/" + job + "/result").then().statusCode(404);
    }

    @Test
    void anAnswerOutsideTheSchemaIsSettledThenFatal() {
        BudgetSibling.budget(tenant, TEN_USD);
        BudgetSibling.llmSettings(tenant, "vllm", "llama-3.3-70b", tenants.baseUrl(tenant), null);
        tenants.plan(tenant, ModelStub.Reply.content("Sure! Here is your analysis: costs are high.", 500, 80));

        UUID job = submit(payload());
        await().atMost(WAIT).until(() -> "DEAD_LETTER".equals(state(job)));

        BudgetSibling.HoldRow hold = onlyHold();
        assertThat(hold.status()).isEqualTo("SETTLED");
        assertThat(hold.settledInputTokens()).isEqualTo(500);
        assertThat(hold.settledOutputTokens()).isEqualTo(80);
        assertThat(attempts(job)).isEqualTo(1);
        assertThat(jobsText("SELECT last_error FROM jobs WHERE id = '" + job + "'"))
                .startsWith("invalid_model_output:").doesNotContain("Sure!");
        Api.as(tenant).get("/api/v1/jobs/" + job + "/result").then().statusCode(404);
    }

    @Test
    void withoutABudgetWithoutDataOrWithoutAModelTheJobIsSkippedWithItsReasonAndCallsNothing() {
        TenantId noBudget = tenant;
        TenantId noData = TenantId.random();
        TenantId noModel = TenantId.random();
        BudgetSibling.budget(noData, TEN_USD);
        BudgetSibling.budget(noModel, TEN_USD);
        BudgetSibling.llmSettings(noData, "vllm", "llama-3.3-70b", tenants.baseUrl(noData), null);
        BudgetSibling.llmSettings(noModel, "openai", "gpt-4o-mini", tenants.baseUrl(noModel), null);

        UUID skippedForBudget = submit(noBudget, payload());
        UUID skippedForData = submit(noData, "{\"focus\": \"" + marker + "\"}");
        UUID skippedForModel = submit(noModel, payload());

        for (var skipped : List.of(new Object[] { noBudget, skippedForBudget, FinopsAnalysisHandler.NO_BUDGET },
                new Object[] { noData, skippedForData, FinopsAnalysisHandler.NO_COST_DATA },
                new Object[] { noModel, skippedForModel, FinopsAnalysisHandler.NO_LLM_CREDENTIALS })) {
            TenantId of = (TenantId) skipped[0];
            UUID job = (UUID) skipped[1];
            await().atMost(WAIT).until(() -> "COMPLETED".equals(state(job)));
            Api.as(of).get("/api/v1/jobs/" + job + "/result").then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("skipped"))
                    .body("reason", org.hamcrest.Matchers.equalTo(skipped[2]))
                    .body("result", org.hamcrest.Matchers.nullValue());
            assertThat(BudgetSibling.holds(of)).as("holds of " + skipped[2]).isEmpty();
            assertThat(tenants.seen(of)).isEmpty();
        }
        assertThat(requestsWithMarker(platform)).isEmpty();
    }

    @Test
    void eachTenantsKeyGoesOnlyToItsOwnBaseUrlForItsOwnJobsAndIsNeverStoredOrLogged() {
        TenantId a = tenant;
        TenantId b = TenantId.random();
        String keyA = "sk-tenant-a-" + UUID.randomUUID();
        String keyB = "sk-tenant-b-" + UUID.randomUUID();
        for (TenantId each : List.of(a, b)) {
            BudgetSibling.budget(each, TEN_USD);
        }
        BudgetSibling.llmSettings(a, "openai-compatible", "gpt-4o-mini", tenants.baseUrl(a), keyA);
        BudgetSibling.llmSettings(b, "openai-compatible", "llama-3.3-70b", tenants.baseUrl(b), keyB);

        UUID jobA = submit(a, payload());
        UUID jobB = submit(b, payload());
        await().atMost(WAIT).until(() -> "COMPLETED".equals(state(jobA)) && "COMPLETED".equals(state(jobB)));

        assertThat(tenants.seen(a)).hasSize(1).allMatch(request -> ("Bearer " + keyA).equals(request.authorization()));
        assertThat(tenants.seen(b)).hasSize(1).allMatch(request -> ("Bearer " + keyB).equals(request.authorization()));
        assertThat(tenants.seen(a).get(0).body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(tenants.seen(b).get(0).body().path("model").asText()).isEqualTo("llama-3.3-70b");
        // the platform's endpoint got neither job, and no request anywhere else carried either key
        assertThat(requestsWithMarker(platform)).isEmpty();
        for (ModelStub stub : List.of(platform, tenants)) {
            assertThat(stub.seen()).filteredOn(request -> !request.prefix().equals(ModelStub.prefix(a)))
                    .noneMatch(request -> String.valueOf(request.authorization()).contains(keyA));
            assertThat(stub.seen()).filteredOn(request -> !request.prefix().equals(ModelStub.prefix(b)))
                    .noneMatch(request -> String.valueOf(request.authorization()).contains(keyB));
            assertThat(stub.seen()).filteredOn(request -> !request.prefix().equals(ModelStub.PLATFORM))
                    .noneMatch(request -> String.valueOf(request.authorization()).contains(platformKey));
        }
        for (String key : List.of(keyA, keyB)) {
            assertThat(log.lines()).noneMatch(line -> line.contains(key));
            assertThat(rowsHolding(key)).as("job, attempt, analysis and outbox rows holding the key").isZero();
        }
        Api.as(a).get("/api/v1/jobs/" + jobA + "/result").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(keyA)));
    }

    // --- helpers ---

    private String payload() {
        return """
                {"costs": [
                   {"service": "EC2", "amount": "1234.56", "currency": "USD", "periodStart": "2026-11-01",
                    "periodEnd": "2026-11-30"},
                   {"service": "S3", "amount": "87.10", "currency": "USD", "periodStart": "2026-11-01",
                    "periodEnd": "2026-11-30"}],
                 "focus": "%s"}
                """.formatted(marker);
    }

    private UUID submit(String payload) {
        return submit(tenant, payload);
    }

    private static UUID submit(TenantId of, String payload) {
        return UUID.fromString(Api.as(of).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"type\": \"finops_analysis\", \"payload\": " + payload + "}").post("/api/v1/jobs").then()
                .statusCode(201).extract().path("id"));
    }

    private List<ModelStub.Seen> requestsWithMarker(ModelStub stub) {
        return stub.seen().stream().filter(request -> request.body().toString().contains(marker)).toList();
    }

    private BudgetSibling.HoldRow onlyHold() {
        List<BudgetSibling.HoldRow> holds = BudgetSibling.holds(tenant);
        assertThat(holds).hasSize(1);
        return holds.get(0);
    }

    private static String state(UUID job) {
        return Db.text("SELECT state FROM jobs WHERE id = '" + job + "'");
    }

    private static long attempts(UUID job) {
        return Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'");
    }

    /** Rows of jobs, attempts, analyses and the outbox that hold the text in any column. */
    private static long rowsHolding(String text) {
        String like = "'%" + text.replace("'", "''") + "%'";
        return jobsCount("SELECT (SELECT count(*) FROM jobs j WHERE j::text LIKE " + like + ")"
                + " + (SELECT count(*) FROM job_attempts a WHERE a::text LIKE " + like + ")"
                + " + (SELECT count(*) FROM analyses n WHERE n::text LIKE " + like + ")"
                + " + (SELECT count(*) FROM cs_outbox o WHERE o::text LIKE " + like + ")");
    }

    private static long jobsCount(String sql) {
        String value = jobsText(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of the first row, read past row-level security; null when there is no row. */
    private static String jobsText(String sql) {
        try (Connection admin = PostgresServer.shared().adminConnection(JOBS_DATABASE);
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
