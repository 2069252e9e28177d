package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /api/v1/jobs/{id}/result} and {@code GET /api/v1/jobs/analyses}: the tenant's own analyses only,
 * newest first in keyset pages, bad input a 400, and {@code /analyses} never taken for a job id.
 */
@QuarkusTest
@AnalysisTestResources
class AnalysisApiTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @BeforeEach
    void clear() {
        admin("TRUNCATE analyses");
    }

    @Test
    void theAnalysesPathIsTheListNotAJobIdAndListsTheTenantsOwnNewestFirstInPages() {
        UUID oldest = completed(tenant, NOW.minusSeconds(30));
        UUID middle = skipped(tenant, NOW.minusSeconds(20), "no_budget");
        UUID newest = completed(tenant, NOW.minusSeconds(10));
        completed(other, NOW);

        JsonPath first = Api.as(tenant).queryParam("limit", 2).get("/api/v1/jobs/analyses").then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("analyses.jobId")).containsExactly(newest.toString(), middle.toString());
        assertThat(first.getString("analyses[1].reason")).isEqualTo("no_budget");
        assertThat(first.getString("nextCursor")).isNotBlank();

        JsonPath second = Api.as(tenant).queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get("/api/v1/jobs/analyses").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("analyses.jobId")).containsExactly(oldest.toString());
        assertThat(second.getString("nextCursor")).isNull();
    }

    @Test
    void aJobsResultIsItsAnalysisAndAnotherTenantsIsNotFound() {
        UUID job = completed(tenant, NOW);

        Api.as(tenant).get("/api/v1/jobs/" + job + "/result").then().statusCode(200)
                .body("jobId", equalTo(job.toString())).body("status", equalTo("completed"))
                .body("model", equalTo("gpt-4o-mini")).body("costMicros", equalTo(378))
                .body("usageEstimated", equalTo(false)).body("result.summary", equalTo("fine"))
                .body("reason", nullValue());
        Api.as(other).get("/api/v1/jobs/" + job + "/result").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://cloudsentinel.dev/problems/result-not-found"));
        Api.as(tenant).get("/api/v1/jobs/" + UUID.randomUUID() + "/result").then().statusCode(404);
    }

    @Test
    void badInputIsAProblemThatNamesTheField() {
        for (String query : List.of("limit=0", "limit=201", "limit=ten", "cursor=not-a-cursor")) {
            Api.as(tenant).get("/api/v1/jobs/analyses?" + query).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].field", equalTo(query.substring(0, query.indexOf('='))));
        }
        Api.as(tenant).get("/api/v1/jobs/not-a-uuid/result").then().statusCode(400)
                .body("violations[0].field", equalTo("id"));
    }

    @Test
    void anAnalysisRequestOutsideItsPayloadSchemaIsRefusedSayingWhereAndNothingIsStored() {
        String line = "\"periodStart\": \"2026-11-01\", \"periodEnd\": \"2026-11-30\"";
        Map<String, String> refusedWhere = Map.of(
                "{\"costs\": [{\"service\": \"EC2\", \"amount\": 12.5, \"currency\": \"USD\", " + line + "}]}",
                "payload.costs[0].amount",
                "{\"costs\": [{\"service\": \"EC2\", \"amount\": \"12.5\", \"currency\": \"usd\", " + line + "}]}",
                "payload.costs[0].currency",
                "{\"focus\": \"" + "x".repeat(501) + "\"}", "payload.focus",
                "{\"unexpected\": true}", "unexpected");
        refusedWhere.forEach((payload, where) -> Api.as(tenant).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"type\": \"finops_analysis\", \"payload\": " + payload + "}").post("/api/v1/jobs").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://cloudsentinel.dev/problems/invalid-payload"))
                .body("problems[0]", containsString(where)));
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant + "'")).isZero();
    }

    @Test
    void aServiceActingForTheTenantMayNotReadItsAnalyses() {
        Api.asService(tenant).get("/api/v1/jobs/analyses").then().statusCode(403);
        Api.asService(tenant).get("/api/v1/jobs/" + UUID.randomUUID() + "/result").then().statusCode(403);
    }

    private static UUID completed(TenantId of, Instant at) {
        UUID job = UUID.randomUUID();
        admin("INSERT INTO analyses (tenant_id, job_id, status, provider, model, input_tokens, output_tokens,"
                + " cost_micros, hold_id, usage_estimated, result, created_at) VALUES ('" + of + "', '" + job
                + "', 'completed', 'openai', 'gpt-4o-mini', 1234, 321, 378, gen_random_uuid(), false,"
                + " '{\"summary\": \"fine\", \"findings\": [], \"recommendations\": []}', '" + at + "')");
        return job;
    }

    private static UUID skipped(TenantId of, Instant at, String reason) {
        UUID job = UUID.randomUUID();
        admin("INSERT INTO analyses (tenant_id, job_id, status, reason, created_at) VALUES ('" + of + "', '" + job
                + "', 'skipped', '" + reason + "', '" + at + "')");
        return job;
    }

    private static void admin(String sql) {
        try (Connection admin = PostgresServer.shared().adminConnection("cloudsentinel_jobs");
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
