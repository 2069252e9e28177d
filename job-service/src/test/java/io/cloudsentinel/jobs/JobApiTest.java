package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Requesting jobs through the API and reading them back: idempotency, attempts, paging, filters, isolation. */
@QuarkusTest
@JobsTestResources
class JobApiTest {

    private static final String PROBLEM = "application/problem+json";

    private final TenantId tenant = TenantId.random();

    @Inject
    JobTypes types;
    @Inject
    JobsConfig config;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void aSubmittedJobIsPendingWithItsEventAndTheSameRequestAgainAnswersTheSameJob() {
        String body = "{\"type\":\"noop\",\"payload\":{\"report\":\"monthly\",\"depth\":{\"b\":2,\"a\":1}},"
                + "\"priority\":7,\"runAt\":\"2030-01-01T00:00:00Z\"}";
        String id = Api.as(tenant).header("Idempotency-Key", "report-2030-01").body(body).post("/api/v1/jobs")
                .then().statusCode(201)
                .body("type", equalTo("noop"))
                .body("state", equalTo("PENDING"))
                .body("priority", equalTo(7))
                .body("runAt", equalTo("2030-01-01T00:00:00Z"))
                .body("source", equalTo("api"))
                .body("maxAttempts", equalTo(types.of("noop").maxAttempts()))
                .extract().path("id");

        // the same request, its payload's keys in another order: a retry, not another job
        String again = "{\"runAt\":\"2030-01-01T00:00:00Z\",\"priority\":7,\"type\":\"noop\","
                + "\"payload\":{\"depth\":{\"a\":1,\"b\":2},\"report\":\"monthly\"}}";
        Api.as(tenant, Roles.TENANT_ADMIN).header("Idempotency-Key", "report-2030-01").body(again)
                .post("/api/v1/jobs").then().statusCode(200).body("id", equalTo(id));

        assertThat(Db.count("SELECT count(*) FROM jobs")).isEqualTo(1);
        assertThat(JobRows.text("SELECT dedup_key FROM jobs")).isEqualTo("api:report-2030-01");
        assertThat(JobRows.events(UUID.fromString(id), "PENDING")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(1);
        Api.as(tenant).get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("payload.depth.b", equalTo(2))
                .body("payload.report", equalTo("monthly"));
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndChangesNothing() {
        String id = Api.as(tenant).header("Idempotency-Key", "k-1").body("{\"type\":\"noop\",\"priority\":1}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");

        for (String other : List.of("{\"type\":\"noop\",\"priority\":2}",
                "{\"type\":\"noop\",\"priority\":1,\"payload\":{\"x\":1}}",
                "{\"type\":\"noop\",\"priority\":1,\"runAt\":\"2030-01-01T00:00:00Z\"}")) {
            Api.as(tenant).header("Idempotency-Key", "k-1").body(other).post("/api/v1/jobs")
                    .then().statusCode(409).contentType(PROBLEM)
                    .body("type", equalTo("https://cloudsentinel.dev/problems/idempotency-key-reused"))
                    .body("jobId", equalTo(id));
        }
        assertThat(Db.count("SELECT count(*) FROM jobs")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE priority = 1 AND payload = '{}'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(1);
    }

    @Test
    void anotherTenantMayUseTheSameKey() {
        Api.as(tenant).header("Idempotency-Key", "shared").body("{\"type\":\"noop\"}").post("/api/v1/jobs")
                .then().statusCode(201);
        Api.as(TenantId.random()).header("Idempotency-Key", "shared").body("{\"type\":\"noop\",\"priority\":3}")
                .post("/api/v1/jobs").then().statusCode(201);
        assertThat(Db.count("SELECT count(*) FROM jobs")).isEqualTo(2);
    }

    @Test
    void aTypeNoHandlerRunsIsRefusedNamingTheAllowedOnes() {
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"bitcoin_mining\"}").post("/api/v1/jobs")
                .then().statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/unknown-job-type"))
                .body("jobType", equalTo("bitcoin_mining"))
                .body("detail", containsString("bitcoin_mining"))
                .body("allowedJobTypes", hasItem("noop"));
        assertThat(Db.count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void aRegisteredTypeThatTenantsMayNotRequestIsRefused() {
        String internal = types.names().stream().filter(t -> !config.ingestion().apiTypes().contains(t)).findFirst()
                .orElse(null);
        Assumptions.assumeTrue(internal != null, "every registered type is an API type");
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"" + internal + "\"}").post("/api/v1/jobs")
                .then().statusCode(422).contentType(PROBLEM)
                .body("jobType", equalTo(internal))
                .body("allowedJobTypes", not(hasItem(internal)));
        assertThat(Db.count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void aPayloadItsTypesSchemaRefusesIsAProblemNamingTheField() {
        Api.as(tenant).header("Idempotency-Key", "held").body("{\"type\":\"noop\",\"payload\":{\"holdMillis\":-5}}")
                .post("/api/v1/jobs").then().statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/invalid-payload"))
                .body("jobType", equalTo("noop"))
                .body("problems[0]", containsString("payload.holdMillis"));
        assertThat(Db.count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void aPayloadLargerThanTheLimitIsRefused() {
        int limit = config.ingestion().maxRecordBytes();
        String big = "x".repeat(limit);
        Api.as(tenant).header("Idempotency-Key", "big").body("{\"type\":\"noop\",\"payload\":{\"a\":\"" + big + "\"}}")
                .post("/api/v1/jobs").then().statusCode(413).contentType(PROBLEM)
                .body("maximumBytes", equalTo(limit));
        // just within the limit: {"a":"…"} is 8 bytes more than the text
        Api.as(tenant).header("Idempotency-Key", "fits")
                .body("{\"type\":\"noop\",\"payload\":{\"a\":\"" + big.substring(8) + "\"}}")
                .post("/api/v1/jobs").then().statusCode(201);
        assertThat(Db.count("SELECT count(*) FROM jobs")).isEqualTo(1);
    }

    @Test
    void badRequestsAreProblemsThatSayWhatIsWrongAndWriteNothing() {
        Api.as(tenant).body("{\"type\":\"noop\"}").post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("Idempotency-Key"));
        Api.as(tenant).header("Idempotency-Key", "has space").body("{\"type\":\"noop\"}").post("/api/v1/jobs")
                .then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k".repeat(201)).body("{\"type\":\"noop\"}").post("/api/v1/jobs")
                .then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"payload\":{}}").post("/api/v1/jobs")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("type"));
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\",\"priority\":101}")
                .post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("priority"));
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\",\"priority\":-101}")
                .post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\",\"payload\":[1,2]}")
                .post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("payload"));
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\",\"payload\":{\"a\":\"\\u0000\"}}")
                .post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\",\"runAt\":\"tomorrow\"}")
                .post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("runAt"));
        Api.as(tenant).header("Idempotency-Key", "k").body("{\"type\":\"noop\"").post("/api/v1/jobs")
                .then().statusCode(400).contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k").post("/api/v1/jobs").then().statusCode(400)
                .contentType(PROBLEM);
        Api.as(tenant).header("Idempotency-Key", "k").contentType(ContentType.TEXT).body("noop")
                .post("/api/v1/jobs").then().statusCode(415).contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM jobs")).isZero();
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void onlyTenantUsersAndAdminsSubmitAndASignedContextIsRequired() {
        Api.as(tenant, Roles.PLATFORM_ADMIN).header("Idempotency-Key", "k").body("{\"type\":\"noop\"}")
                .post("/api/v1/jobs").then().statusCode(403).contentType(PROBLEM);
        Api.asService(tenant).get("/api/v1/jobs").then().statusCode(403).contentType(PROBLEM);
        io.restassured.RestAssured.given().contentType(ContentType.JSON).header("Idempotency-Key", "k")
                .body("{\"type\":\"noop\"}").post("/api/v1/jobs").then().statusCode(401).contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void aJobShowsItsAttemptsOldestFirst() {
        String id = Api.as(tenant).header("Idempotency-Key", "with-history").body("{\"type\":\"noop\"}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        UUID job = UUID.fromString(id);
        JobRows.attempt(tenant, job, 2, "TIMED_OUT", "timed out after PT30S");
        JobRows.attempt(tenant, job, 1, "FAILED", "upstream 503");
        Db.execute("UPDATE jobs SET attempt = 2, state = 'RETRY_SCHEDULED', last_error = 'timed out after PT30S'"
                + " WHERE id = '" + id + "'");

        Api.as(tenant).get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("RETRY_SCHEDULED"))
                .body("attempt", equalTo(2))
                .body("lastError", equalTo("timed out after PT30S"))
                .body("attempts", hasSize(2))
                .body("attempts.attempt", contains(1, 2))
                .body("attempts.outcome", contains("FAILED", "TIMED_OUT"))
                .body("attempts[0].error", equalTo("upstream 503"))
                .body("attempts[0].exceptionClass", equalTo("java.io.IOException"))
                .body("attempts[0].startedAt", notNullValue())
                .body("attempts[0].finishedAt", notNullValue())
                .body("attempts[0].worker", equalTo("worker-1"));
    }

    @Test
    void aListHasNoPayloadsOrAttempts() {
        JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());
        Api.as(tenant).get("/api/v1/jobs").then().statusCode(200)
                .body("jobs", hasSize(1))
                .body("jobs[0]", not(org.hamcrest.Matchers.hasKey("attempts")))
                .body("jobs[0]", not(org.hamcrest.Matchers.hasKey("payload")))
                .body("nextCursor", nullValue());
    }

    @Test
    void pagesGoNewestFirstAndTogetherHoldEveryJobOnce() {
        Instant base = Instant.parse("2026-03-01T12:00:00Z");
        List<Created> created = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // pairs share a creation time: the id orders them, so no page boundary loses or repeats one
            Instant at = base.plus(i / 2, ChronoUnit.MINUTES);
            created.add(new Created(JobRows.job(tenant, "noop", JobState.PENDING, at), at));
        }
        // PostgreSQL orders uuids by their bytes, as their hex text sorts (Java's UUID.compareTo is signed)
        created.sort(Comparator.comparing(Created::at).thenComparing(c -> c.id().toString()).reversed());

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            var request = Api.as(tenant).queryParam("limit", 4);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("jobs.id");
            sizes.add(ids.size());
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
        } while (cursor != null);

        assertThat(sizes).containsExactly(4, 4, 3);
        assertThat(seen).containsExactlyElementsOf(created.stream().map(c -> c.id().toString()).toList());
    }

    @Test
    void theDefaultPageHoldsFiftyJobs() {
        Db.execute("""
                INSERT INTO jobs (tenant_id, id, job_type, dedup_key, request_hash, source, payload, state, run_at,
                                  max_attempts, created_at, updated_at)
                SELECT '%s', gen_random_uuid(), 'noop', 'many:' || n, 'hash', 'api', '{}', 'PENDING', now(), 3,
                       now() - n * interval '1 second', now()
                  FROM generate_series(1, 51) AS n
                """.formatted(tenant));
        Api.as(tenant).get("/api/v1/jobs").then().statusCode(200).body("jobs", hasSize(50))
                .body("nextCursor", notNullValue());
        // a full page that is the last has no cursor to an empty one
        Api.as(tenant).queryParam("limit", 51).get("/api/v1/jobs").then().statusCode(200).body("jobs", hasSize(51))
                .body("nextCursor", nullValue());
    }

    @Test
    void filtersByStateAndType() {
        Instant now = Instant.now();
        UUID pendingNoop = JobRows.job(tenant, "noop", JobState.PENDING, now);
        UUID deadNoop = JobRows.job(tenant, "noop", JobState.DEAD_LETTER, now.minusSeconds(1));
        UUID pendingOther = JobRows.job(tenant, "cost_ingestion", JobState.PENDING, now.minusSeconds(2));

        Api.as(tenant).queryParam("state", "PENDING").get("/api/v1/jobs").then().statusCode(200)
                .body("jobs.id", contains(pendingNoop.toString(), pendingOther.toString()));
        Api.as(tenant).queryParam("type", "noop").get("/api/v1/jobs").then().statusCode(200)
                .body("jobs.id", contains(pendingNoop.toString(), deadNoop.toString()));
        Api.as(tenant).queryParam("type", "noop").queryParam("state", "DEAD_LETTER").get("/api/v1/jobs")
                .then().statusCode(200).body("jobs.id", contains(deadNoop.toString()));
    }

    @Test
    void badListParametersAreProblems() {
        Api.as(tenant).queryParam("state", "SLEEPING").get("/api/v1/jobs").then().statusCode(400)
                .contentType(PROBLEM).body("violations[0].field", equalTo("state"));
        for (String limit : List.of("0", "201", "ten")) {
            Api.as(tenant).queryParam("limit", limit).get("/api/v1/jobs").then().statusCode(400)
                    .contentType(PROBLEM).body("violations[0].field", equalTo("limit"));
        }
        for (String cursor : List.of("not-a-cursor!", "bm90IGEgY3Vyc29y")) {
            Api.as(tenant).queryParam("cursor", cursor).get("/api/v1/jobs").then().statusCode(400)
                    .contentType(PROBLEM).body("violations[0].field", equalTo("cursor"));
        }
        Api.as(tenant).get("/api/v1/jobs/42").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("id"));
    }

    @Test
    void anotherTenantNeitherSeesNorFindsTheJob() {
        String id = Api.as(tenant).header("Idempotency-Key", "mine").body("{\"type\":\"noop\"}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        TenantId other = TenantId.random();

        Api.as(other).get("/api/v1/jobs/" + id).then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/job-not-found"));
        Api.as(other).get("/api/v1/jobs").then().statusCode(200).body("jobs", hasSize(0));
        Api.as(tenant).get("/api/v1/jobs").then().statusCode(200).body("jobs", hasSize(1));
    }

    private record Created(UUID id, Instant at) {
    }
}
