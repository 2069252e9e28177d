package io.cloudsentinel.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.costs.FocusCsv;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SignedCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code POST /api/v1/costs/imports} and what it feeds: FOCUS files of AWS's and Azure's flavours load, the summary
 * equals the sums the test computes itself, a restated month replaces its period exactly once under a concurrent
 * reader, a bad file changes nothing and says where it is bad, an oversize upload is refused as it streams, and
 * another tenant sees none of it.
 */
@QuarkusTest
@JobsTestResources
class CostImportTest {

    private static final String IMPORTS = "/api/v1/costs/imports";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> SERVICES = List.of("Amazon EC2", "Amazon S3", "AWS Lambda", "Amazon RDS");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();
    private final Random random = new Random(17);

    @Test
    void filesOfTheAwsAndAzureFlavoursLoadAndTheSummaryEqualsTheSumsOfTheirRows() throws Exception {
        List<Map<String, String>> aws = rows(1_500, "2026-11", "USD");
        List<Map<String, String>> azure = rows(700, "2026-11", "EUR");

        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, aws).bytes(), "text/csv").then().statusCode(201)
                .body("status", equalTo("succeeded")).body("rowsLoaded", equalTo(1_500))
                .body("billingPeriods[0]", equalTo("2026-11-01T00:00:00Z"));
        upload(tenant, "azure", csv(FocusCsv.AZURE_COLUMNS, azure).gzip(), "application/gzip").then().statusCode(201)
                .body("rowsLoaded", equalTo(700));

        JsonNode byService = summary(tenant, "service");
        assertThat(byService.path("currencies")).hasSize(2);
        Map<String, BigDecimal> expectedUsd = sums(aws, "ServiceName", "EffectiveCost");
        Map<String, BigDecimal> expectedEur = sums(azure, "ServiceName", "EffectiveCost");
        assertSums(currency(byService, "USD"), expectedUsd, "effectiveCost");
        assertSums(currency(byService, "EUR"), expectedEur, "effectiveCost");
        assertThat(currency(byService, "USD").path("billedCost").decimalValue())
                .isEqualByComparingTo(total(aws, "BilledCost"));
        assertSums(currency(summary(tenant, "region"), "USD"), sums(aws, "RegionId", "EffectiveCost"), "effectiveCost");
        assertSums(currency(summary(tenant, "subAccount"), "EUR"), sums(azure, "SubAccountId", "EffectiveCost"),
                "effectiveCost");
    }

    @Test
    void aRestatedMonthReplacesItsPeriodExactlyOnceWhileAReaderQueriesAndLeavesOtherMonths() throws Exception {
        List<Map<String, String>> october = rows(300, "2026-10", "USD");
        List<Map<String, String>> first = rows(3_000, "2026-11", "USD");
        List<Map<String, String>> restated = rows(4_200, "2026-11", "USD");
        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, october).bytes(), "text/csv").then().statusCode(201);
        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, first).bytes(), "text/csv").then().statusCode(201);
        BigDecimal before = total(first, "EffectiveCost");
        BigDecimal after = total(restated, "EffectiveCost");

        // the restated file stops half-way, its first batches written, until the reader has read meanwhile
        byte[] restatedFile = csv(FocusCsv.AWS_COLUMNS, restated).bytes();
        CountDownLatch readDuringUpload = new CountDownLatch(3);
        AtomicBoolean uploading = new AtomicBoolean();
        AtomicBoolean reading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<BigDecimal> totalsSeen = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> rowCountsSeen = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (reading.get()) {
                totalsSeen.add(novemberTotal(tenant));
                rowCountsSeen.add(Db.count("SELECT count(*) FROM cost_rows WHERE tenant_id = '" + tenant
                        + "' AND billing_period_start = '2026-11-01T00:00:00Z'"));
                if (uploading.get()) {
                    readDuringUpload.countDown();
                }
            }
        });
        streamedUpload(tenant, "aws", restatedFile, new GatedBody(restatedFile, restatedFile.length / 2, () -> {
            uploading.set(true);
            awaitQuietly(readDuringUpload);
        })).then().statusCode(201);
        totalsSeen.add(novemberTotal(tenant));
        reading.set(false);
        reader.join();

        assertThat(readDuringUpload.getCount()).as("reads while the upload was half-way").isZero();
        assertThat(totalsSeen).allSatisfy(seen -> assertThat(seen).satisfiesAnyOf(
                total -> assertThat(total).isEqualByComparingTo(before),
                total -> assertThat(total).isEqualByComparingTo(after)));
        assertThat(rowCountsSeen).allSatisfy(count -> assertThat(count).isIn(3_000L, 4_200L));
        assertThat(novemberTotal(tenant)).isEqualByComparingTo(after);
        assertThat(Db.count("SELECT count(*) FROM cost_rows WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(300 + 4_200);
        assertThat(currency(summary(tenant, "none", "2026-10-01", "2026-11-01"), "USD").path("effectiveCost")
                .decimalValue()).isEqualByComparingTo(total(october, "EffectiveCost"));
    }

    @Test
    void twoImportsOfOneSourceAtOnceLeaveExactlyOneOfThemNeverBoth() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<Map<String, String>> one = rows(2_000, "2026-11", "USD");
            List<Map<String, String>> other = rows(2_500, "2026-11", "USD");
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> uploadAfter(start, one));
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> uploadAfter(start, other));
            assertThat(first.join()).isEqualTo(201);
            assertThat(second.join()).isEqualTo(201);

            long rows = Db.count("SELECT count(*) FROM cost_rows WHERE tenant_id = '" + tenant + "' AND source = 'aws'");
            assertThat(rows).as("round " + round).isIn(2_000L, 2_500L);
            assertThat(novemberTotal(tenant)).isEqualByComparingTo(total(rows == 2_000L ? one : other,
                    "EffectiveCost"));
        }
    }

    private int uploadAfter(CyclicBarrier start, List<Map<String, String>> rows) {
        byte[] body = csv(FocusCsv.AWS_COLUMNS, rows).bytes();
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return upload(tenant, "aws", body, "text/csv").statusCode();
    }

    @Test
    void aFileWithoutARequiredColumnFailsAtItsHeaderAndLeavesTheEarlierData() throws Exception {
        List<Map<String, String>> good = rows(50, "2026-11", "USD");
        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, good).bytes(), "text/csv").then().statusCode(201);
        List<String> withoutBilledCost = FocusCsv.AWS_COLUMNS.stream().filter(c -> !c.equals("BilledCost")).toList();

        upload(tenant, "aws", csv(withoutBilledCost, rows(60, "2026-11", "USD")).bytes(), "text/csv").then()
                .statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", containsString("cost-import-failed"))
                .body("detail", containsString("line 1")).body("detail", containsString("BilledCost"));

        assertThat(novemberTotal(tenant)).isEqualByComparingTo(total(good, "EffectiveCost"));
        Api.as(tenant).queryParam("source", "aws").get(IMPORTS).then().statusCode(200)
                .body("imports[0].status", equalTo("failed")).body("imports[0].failure", containsString("BilledCost"))
                .body("imports[1].status", equalTo("succeeded"));
    }

    @Test
    void badNumbersDatesAndCurrencyCodesAreRejectedWithTheirLinesAndTheFileChangesNothing() throws Exception {
        List<Map<String, String>> good = rows(40, "2026-11", "USD");
        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, good).bytes(), "text/csv").then().statusCode(201);
        List<Map<String, String>> bad = rows(10, "2026-11", "USD");
        bad.get(1).put("BilledCost", "12,5");
        bad.get(4).put("ChargePeriodStart", "yesterday");
        bad.get(7).put("BillingCurrency", "usd");

        Response failed = upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, bad).bytes(), "text/csv");
        failed.then().statusCode(422).body("rowsRejected", equalTo(3))
                .body("rejected.line", org.hamcrest.Matchers.contains(3, 6, 9))
                .body("rejected[0].reason", containsString("BilledCost"))
                .body("rejected[1].reason", containsString("ChargePeriodStart"))
                .body("rejected[2].reason", containsString("BillingCurrency"));

        assertThat(novemberTotal(tenant)).isEqualByComparingTo(total(good, "EffectiveCost"));
        String importId = failed.jsonPath().getString("importId");
        Api.as(tenant).get(IMPORTS + "/" + importId).then().statusCode(200).body("status", equalTo("failed"))
                .body("rowsLoaded", equalTo(0)).body("rejected.line", org.hamcrest.Matchers.contains(3, 6, 9));
    }

    @Test
    void aTenantThatToleratesRejectedRowsGetsTheRestLoaded() throws Exception {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"maxRejectedRows\": 5}").put("/api/v1/costs/settings").then()
                .statusCode(200).body("maxRejectedRows", equalTo(5));
        List<Map<String, String>> rows = rows(20, "2026-11", "USD");
        rows.get(2).put("BillingCurrency", "XX1");

        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, rows).bytes(), "text/csv").then().statusCode(201)
                .body("rowsLoaded", equalTo(19)).body("rowsRejected", equalTo(1)).body("rejected[0].line", equalTo(4));
        assertThat(novemberTotal(tenant)).isEqualByComparingTo(total(rows.stream().filter(r -> r != rows.get(2))
                .toList(), "EffectiveCost"));
    }

    @Test
    void anUploadLargerThanTheLimitIsRefusedAsItStreamsAndKeepsNothing() throws Exception {
        // 2M is the test profile's limit; chunked, so that only the counting while it streams can refuse it
        byte[] big = csv(FocusCsv.AWS_COLUMNS, rows(14_000, "2026-11", "USD")).bytes();
        assertThat(big.length).isGreaterThan(2 * 1024 * 1024);

        streamedUpload(tenant, "big", big, new ByteArrayInputStream(big)).then().statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", containsString("upload-too-large"));

        assertThat(Db.count("SELECT count(*) FROM cost_rows WHERE tenant_id = '" + tenant + "'")).isZero();
        Api.as(tenant).get(IMPORTS).then().statusCode(200).body("imports[0].status", equalTo("failed"))
                .body("imports[0].failure", containsString("larger than"));
    }

    @Test
    void declaredTagKeysAreSummedAndOthersAreRefused() throws Exception {
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"tagKeys\": [\"team\"]}").put("/api/v1/costs/settings").then()
                .statusCode(200);
        List<Map<String, String>> rows = rows(200, "2026-11", "USD");
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String team = i % 3 == 0 ? null : "team-" + (i % 3);
            rows.get(i).put("Tags", team == null ? "{\"env\":\"prod\"}" : "{\"team\":\"" + team + "\",\"env\":\"prod\"}");
            expected.merge(team == null ? "" : team, new BigDecimal(rows.get(i).get("EffectiveCost")), BigDecimal::add);
        }
        upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, rows).bytes(), "text/csv").then().statusCode(201);

        assertSums(currency(summary(tenant, "tag:team"), "USD"), expected, "effectiveCost");
        Api.as(tenant).queryParam("groupBy", "tag:env").queryParam("from", "2026-11-01").queryParam("to", "2026-12-01")
                .get("/api/v1/costs/summary").then().statusCode(422).body("type", containsString("tag-not-declared"));
    }

    @Test
    void anotherTenantSeesNoneOfTheImportsNorTheCosts() throws Exception {
        String id = upload(tenant, "aws", csv(FocusCsv.AWS_COLUMNS, rows(30, "2026-11", "USD")).bytes(), "text/csv")
                .then().statusCode(201).extract().path("id");

        Api.as(other).get(IMPORTS).then().statusCode(200).body("imports.size()", equalTo(0));
        Api.as(other).get(IMPORTS + "/" + id).then().statusCode(404).body("type", containsString("import-not-found"));
        assertThat(summary(other, "service").path("currencies")).isEmpty();
        Api.as(tenant).get(IMPORTS + "/" + id).then().statusCode(200);
    }

    @Test
    void onlyATenantAdminUploadsAndABadSourceNameIsRefused() {
        byte[] body = csv(FocusCsv.AWS_COLUMNS, rows(3, "2026-11", "USD")).bytes();
        Api.as(tenant).contentType("text/csv").body(body).post(IMPORTS).then().statusCode(403);
        Api.as(tenant, Roles.TENANT_ADMIN).contentType("text/csv").queryParam("source", "Bad Name").body(body)
                .post(IMPORTS).then().statusCode(400).body("violations[0].field", equalTo("source"));
        assertThat(Db.count("SELECT count(*) FROM cost_imports WHERE tenant_id = '" + tenant + "'")).isZero();
    }

    private static Response upload(TenantId of, String source, byte[] body, String contentType) {
        return Api.as(of, Roles.TENANT_ADMIN).contentType(contentType).queryParam("source", source).body(body)
                .post(IMPORTS);
    }

    /** Chunked, as a client streams a file it has not read whole: signed for the bytes it will send. */
    private static Response streamedUpload(TenantId of, String source, byte[] bytes, InputStream body) {
        String target = IMPORTS + "?source=" + source;
        Map<String, String> signed = SignedCalls.asGateway("job-service").headers(
                new TenantContext(of, "admin", Set.of(Roles.TENANT_ADMIN)), "POST", target, bytes);
        return given().headers(signed).contentType("text/csv").body(body).post(target);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A body that, at {@code pauseAt} bytes, runs {@code pause} once before it sends the rest. */
    private static final class GatedBody extends InputStream {

        private final ByteArrayInputStream bytes;
        private final int pauseAt;
        private final Runnable pause;
        private int sent;
        private boolean paused;

        GatedBody(byte[] body, int pauseAt, Runnable pause) {
            this.bytes = new ByteArrayInputStream(body);
            this.pauseAt = pauseAt;
            this.pause = pause;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (!paused && sent >= pauseAt) {
                paused = true;
                pause.run();
            }
            int allowed = paused ? length : Math.min(length, pauseAt - sent);
            int read = bytes.read(buffer, offset, Math.max(1, allowed));
            if (read > 0) {
                sent += read;
            }
            return read;
        }
    }

    private static BigDecimal novemberTotal(TenantId of) {
        JsonNode usd = currency(summary(of, "none", "2026-11-01", "2026-12-01"), "USD");
        return usd.isMissingNode() ? BigDecimal.ZERO : usd.path("effectiveCost").decimalValue();
    }

    private static JsonNode summary(TenantId of, String groupBy) {
        return summary(of, groupBy, "2026-10-01", "2026-12-01");
    }

    private static JsonNode summary(TenantId of, String groupBy, String from, String to) {
        String body = Api.as(of).queryParam("groupBy", groupBy).queryParam("from", from).queryParam("to", to)
                .get("/api/v1/costs/summary").then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    private static JsonNode currency(JsonNode summary, String code) {
        for (JsonNode currency : summary.path("currencies")) {
            if (code.equals(currency.path("currency").asText())) {
                return currency;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void assertSums(JsonNode currency, Map<String, BigDecimal> expected, String field) {
        Map<String, BigDecimal> actual = new TreeMap<>();
        currency.path("groups").forEach(group -> actual.put(group.path("key").asText(), group.path(field)
                .decimalValue()));
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, sum) -> assertThat(actual.get(key)).as(key).isEqualByComparingTo(sum));
    }

    private static Map<String, BigDecimal> sums(List<Map<String, String>> rows, String by, String amount) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        rows.forEach(row -> sums.merge(row.getOrDefault(by, ""), new BigDecimal(row.get(amount)), BigDecimal::add));
        return sums;
    }

    private static BigDecimal total(List<Map<String, String>> rows, String amount) {
        return rows.stream().map(row -> new BigDecimal(row.get(amount))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static FocusCsv csv(List<String> columns, List<Map<String, String>> rows) {
        FocusCsv csv = new FocusCsv(columns);
        rows.forEach(csv::row);
        return csv;
    }

    /** Usage rows of one month, spread over its days, services, regions and two sub-accounts, exact decimals. */
    private List<Map<String, String>> rows(int count, String month, String currency) {
        LocalDate first = LocalDate.parse(month + "-01");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDate day = first.plusDays(i % first.lengthOfMonth());
            Map<String, String> row = new LinkedHashMap<>();
            String billed = BigDecimal.valueOf(random.nextInt(10_000_000), 6).toPlainString();
            row.put("BilledCost", billed);
            row.put("EffectiveCost", BigDecimal.valueOf(random.nextInt(10_000_000), 7).toPlainString());
            row.put("BillingCurrency", currency);
            row.put("BillingPeriodStart", first + "T00:00:00Z");
            row.put("BillingPeriodEnd", first.plusMonths(1) + "T00:00:00Z");
            row.put("ChargePeriodStart", day + "T00:00:00Z");
            row.put("ChargePeriodEnd", day.plusDays(1) + "T00:00:00Z");
            row.put("ChargeCategory", "Usage");
            row.put("ServiceName", SERVICES.get(i % SERVICES.size()));
            row.put("ServiceCategory", "Compute");
            row.put("ProviderName", "AWS");
            row.put("SubAccountId", "acct-" + (i % 2));
            row.put("RegionId", REGIONS.get(i % REGIONS.size()));
            row.put("ResourceId", "i-" + (i % 50));
            row.put("ConsumedQuantity", "1");
            row.put("ConsumedUnit", "Hours");
            row.put("Tags", "{}");
            rows.add(new HashMap<>(row));
        }
        return rows;
    }
}
