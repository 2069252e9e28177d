package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cloudsentinel.jobs.costs.FocusCsv;
import io.cloudsentinel.jobs.handler.CostIngestionHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.egress.HostResolver;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code cost_ingestion} handler against a plain-http file server on 127.0.0.1 (private destinations allowed, as
 * in tests), with the real crypto-service holding the sources' URLs and headers: plain and gzip files and an AWS
 * manifest of two files load as one import each, with the source's header sent; a server error is retried until the
 * file loads; a malformed file fails its import without a retry; the URL never reaches the logs.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
@TestProfile(CostIngestionTest.WithS3Names.class)
class CostIngestionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SOURCES = "/api/v1/costs/sources/";
    /** A bucket's virtual-hosted S3 name, resolved to the local file server. */
    private static final String BUCKET_HOST = "cur-exports.s3.us-east-1.amazonaws.com";
    private static final String SIGNATURE = "sig=pre5igned-5ecret";
    private static final String TOKEN = "Bearer f3tch-t0ken";

    private static HttpServer server;
    private static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Statuses to answer a path with before its file, one per request. */
    private static final Map<String, Queue<Integer>> failures = new ConcurrentHashMap<>();
    private static final Queue<String> requests = new ConcurrentLinkedQueue<>();

    private final TenantId tenant = TenantId.random();
    private CapturedLog log;

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    /** Resolves the bucket's S3 name to 127.0.0.1, everything else as the system does. */
    @Alternative
    @Singleton
    public static class S3OnLoopback implements HostResolver {

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            return host.equals(BUCKET_HOST) ? List.of(InetAddress.getLoopbackAddress())
                    : HostResolver.SYSTEM.resolve(host);
        }
    }

    public static class WithS3Names implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(S3OnLoopback.class);
        }
    }

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CostIngestionTest::answer);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void setUp() {
        WebhookRows.clear();
        WebhookRows.execute("TRUNCATE cost_sources, cost_imports, cost_import_rejections, cost_rows, cost_daily,"
                + " cost_daily_tags");
        files.clear();
        failures.clear();
        requests.clear();
        log = CapturedLog.start();
        worker.start();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
        log.close();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(exchange.getRequestMethod() + " " + path + " " + exchange.getRequestHeaders().getFirst(
                "Authorization"));
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            Queue<Integer> planned = failures.get(path);
            Integer failure = planned == null ? null : planned.poll();
            byte[] file = files.get(path);
            if (failure != null || file == null) {
                exchange.sendResponseHeaders(failure != null ? failure : 404, -1);
                return;
            }
            // chunked, as a large export would come
            exchange.sendResponseHeaders(200, 0);
            out.write(file);
        }
    }

    private static String local(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String onBucket(String path) {
        return "http://" + BUCKET_HOST + ":" + server.getAddress().getPort() + path;
    }

    private void source(String name, String url, boolean manifest) {
        Api.as(tenant, Roles.TENANT_ADMIN).body(Map.of("url", url, "manifest", manifest, "header",
                Map.of("name", "Authorization", "value", TOKEN))).put(SOURCES + name).then().statusCode(201);
    }

    private UUID ingest(String payload) {
        return Jobs.submit(tenant, CostIngestionHandler.TYPE, payload);
    }

    private static void awaitState(UUID job, String state) {
        await().atMost(WAIT).until(() -> state.equals(JobRows.state(job)));
    }

    private String imports(String column) {
        return WebhookRows.text("SELECT string_agg(" + column + "::text, ',' ORDER BY started_at) FROM cost_imports"
                + " WHERE tenant_id = '" + tenant + "'");
    }

    private long costRows(String source) {
        return WebhookRows.count("SELECT count(*) FROM cost_rows WHERE tenant_id = '" + tenant + "' AND source = '"
                + source + "'");
    }

    @Test
    void plainAndGzipFilesAreLoadedWithTheSourceHeaderSent() {
        files.put("/exports/plain.csv", csv(120, "2026-10").bytes());
        files.put("/exports/packed.csv.gz", csv(80, "2026-11").gzip());
        source("plain", local("/exports/plain.csv?" + SIGNATURE), false);
        source("packed", local("/exports/packed.csv.gz?" + SIGNATURE), false);

        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(costRows("plain")).isEqualTo(120);
        assertThat(costRows("packed")).isEqualTo(80);
        assertThat(imports("status")).isEqualTo("succeeded,succeeded");
        assertThat(imports("origin")).isEqualTo("fetch,fetch");
        assertThat(imports("job_id")).isEqualTo(job + "," + job);
        assertThat(requests).containsExactlyInAnyOrder("GET /exports/plain.csv " + TOKEN,
                "GET /exports/packed.csv.gz " + TOKEN);
        assertNoSecretLogged();
    }

    @Test
    void aNamedSourceIsTheOnlyOneFetched() {
        files.put("/a.csv", csv(10, "2026-10").bytes());
        files.put("/b.csv", csv(10, "2026-10").bytes());
        source("a", local("/a.csv"), false);
        source("b", local("/b.csv"), false);

        UUID job = ingest("{\"source\": \"b\"}");
        awaitState(job, "COMPLETED");

        assertThat(costRows("b")).isEqualTo(10);
        assertThat(costRows("a")).isZero();
        assertThat(requests).containsExactly("GET /b.csv " + TOKEN);
    }

    @Test
    void anAwsManifestsFileIsFetchedFromItsBucketWithTheSourceHeader() {
        files.put("/cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz", csv(60, "2026-11").gzip());
        files.put("/cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json", """
                {"executionId": "e-1", "dataFiles":
                   ["s3://cur-exports/cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz"]}
                """.getBytes());
        source("aws", onBucket("/cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json"), true);

        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(imports("status")).isEqualTo("succeeded");
        assertThat(costRows("aws")).isEqualTo(60);
        assertThat(requests).containsExactly(
                "GET /cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json " + TOKEN,
                "GET /cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz " + TOKEN);
    }

    @Test
    void anAwsManifestsFilesAreFetchedFromItsBucketAndLoadedAsOneImport() {
        files.put("/cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz", csv(60, "2026-11").gzip());
        files.put("/cur/export/data/BILLING_PERIOD=2026-11/export-00002.csv.gz", csv(40, "2026-11").gzip());
        files.put("/cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json", """
                {"executionId": "e-1", "exportArn": "arn:aws:bcm-data-exports:us-east-1:111122223333:export/x",
                 "columns": [{"name": "BilledCost", "type": "decimal"}],
                 "dataFiles": ["s3://cur-exports/cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz",
                               "s3://cur-exports/cur/export/data/BILLING_PERIOD=2026-11/export-00002.csv.gz"],
                 "additionalOutputFiles": []}
                """.getBytes());
        source("aws", onBucket("/cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json"), true);

        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(imports("status")).isEqualTo("succeeded");
        assertThat(imports("rows_loaded")).isEqualTo("100");
        assertThat(costRows("aws")).isEqualTo(100);
        assertThat(requests).containsExactly(
                "GET /cur/export/metadata/BILLING_PERIOD=2026-11/export-Manifest.json " + TOKEN,
                "GET /cur/export/data/BILLING_PERIOD=2026-11/export-00001.csv.gz " + TOKEN,
                "GET /cur/export/data/BILLING_PERIOD=2026-11/export-00002.csv.gz " + TOKEN);
    }

    @Test
    void aManifestNamingAnotherBucketIsRefusedWithoutAFetchOfItsFiles() {
        files.put("/m.json", "{\"dataFiles\": [\"s3://someone-elses-bucket/data.csv.gz\"]}".getBytes());
        source("aws", onBucket("/m.json"), true);

        UUID job = ingest("{}");
        awaitState(job, "DEAD_LETTER");

        assertThat(JobRows.text("SELECT error FROM job_attempts WHERE job_id = '" + job + "'"))
                .contains("aws", "someone-elses-bucket", "virtual-hosted");
        assertThat(requests).containsExactly("GET /m.json " + TOKEN);
    }

    @Test
    void aServerErrorIsRetriedUntilTheFileLoads() {
        files.put("/focus.csv", csv(30, "2026-11").bytes());
        failures.put("/focus.csv", new ConcurrentLinkedQueue<>(List.of(500)));
        source("aws", local("/focus.csv?" + SIGNATURE), false);

        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo(2);
        assertThat(JobRows.text("SELECT error FROM job_attempts WHERE job_id = '" + job + "' AND attempt = 1"))
                .contains("aws", "answered 500").doesNotContain("5ecret", "/focus.csv", "t0ken");
        assertThat(imports("status")).isEqualTo("failed,succeeded");
        assertThat(costRows("aws")).isEqualTo(30);
        assertNoSecretLogged();
    }

    @Test
    void aMalformedFileFailsItsImportAndTheJobCompletesWithoutARetry() {
        List<String> columns = new ArrayList<>(FocusCsv.AWS_COLUMNS);
        columns.remove("BillingCurrency");
        FocusCsv withoutCurrency = new FocusCsv(columns);
        rows(5, "2026-11").forEach(withoutCurrency::row);
        files.put("/bad.csv", withoutCurrency.bytes());
        source("aws", local("/bad.csv"), false);

        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo(1);
        assertThat(imports("status")).isEqualTo("failed");
        assertThat(imports("failure")).contains("BillingCurrency");
        assertThat(costRows("aws")).isZero();
    }

    @Test
    void aTenantWithNoSourceCompletesAtOnce() {
        UUID job = ingest("{}");
        awaitState(job, "COMPLETED");

        assertThat(requests).isEmpty();
        assertThat(imports("status")).isNull();
    }

    private void assertNoSecretLogged() {
        assertThat(log.lines()).isNotEmpty().noneSatisfy(line -> assertThat(line).containsAnyOf("5ecret", "t0ken",
                "/exports/", "/focus.csv"));
    }

    private static FocusCsv csv(int count, String month) {
        FocusCsv csv = new FocusCsv(FocusCsv.AWS_COLUMNS);
        rows(count, month).forEach(csv::row);
        return csv;
    }

    private static List<Map<String, String>> rows(int count, String month) {
        LocalDate first = LocalDate.parse(month + "-01");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDate day = first.plusDays(i % first.lengthOfMonth());
            Map<String, String> row = new HashMap<>();
            String cost = BigDecimal.valueOf(i + 1, 2).toPlainString();
            row.put("BilledCost", cost);
            row.put("EffectiveCost", cost);
            row.put("BillingCurrency", "USD");
            row.put("BillingPeriodStart", first + "T00:00:00Z");
            row.put("BillingPeriodEnd", first.plusMonths(1) + "T00:00:00Z");
            row.put("ChargePeriodStart", day + "T00:00:00Z");
            row.put("ChargePeriodEnd", day.plusDays(1) + "T00:00:00Z");
            row.put("ChargeCategory", "Usage");
            row.put("ServiceName", "Amazon EC2");
            row.put("ServiceCategory", "Compute");
            row.put("ProviderName", "AWS");
            row.put("SubAccountId", "123456789012");
            row.put("RegionId", "us-east-1");
            row.put("ResourceId", "i-" + i);
            row.put("ConsumedQuantity", "1");
            row.put("ConsumedUnit", "Hours");
            row.put("Tags", "{}");
            rows.add(row);
        }
        return rows;
    }
}
