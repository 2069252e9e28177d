package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Cancelling jobs and replaying dead ones: each change one conditional statement with its event, and only its own. */
@QuarkusTest
@JobsTestResources
class JobControlTest {

    private static final String PROBLEM = "application/problem+json";

    private final TenantId tenant = TenantId.random();
    private final TenantId other = TenantId.random();

    @Inject
    JobTypes types;

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @Test
    void aPendingJobIsCancelledAtOnceWithOneEvent() {
        UUID job = JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());

        Api.as(tenant).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"))
                .body("cancelRequested", equalTo(false));

        assertThat(JobRows.state(job)).isEqualTo("CANCELLED");
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE finished_at IS NOT NULL")).isEqualTo(1);
        assertThat(JobRows.events(job, "CANCELLED")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(1);
        assertThat(JobRows.text("SELECT headers ->> 'tenant-id' FROM cs_outbox")).isEqualTo(tenant.toString());
    }

    @Test
    void aJobWaitingForItsRetryIsCancelledToo() {
        UUID job = JobRows.job(tenant, "noop", JobState.RETRY_SCHEDULED, Instant.now());

        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        assertThat(JobRows.events(job, "CANCELLED")).isEqualTo(1);
    }

    @Test
    void aRunningJobIsAskedToStopAndKeepsRunningUntilItsWorkerDoes() {
        UUID job = JobRows.job(tenant, "noop", JobState.RUNNING, Instant.now());

        Api.as(tenant).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(202)
                .body("state", equalTo("RUNNING"))
                .body("cancelRequested", equalTo(true));

        assertThat(JobRows.state(job)).isEqualTo("RUNNING");
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE cancel_requested AND finished_at IS NULL"
                + " AND lease_token IS NOT NULL")).isEqualTo(1);
        // the event is the worker's, when it has stopped the job
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void aCancellationThatMeetsAClaimAsksTheRunningJobToStop() throws Exception {
        UUID job = JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());
        try (Connection claim = Db.system()) {
            // a worker's claim holds the row, not yet committed, when the cancellation arrives
            claim.setAutoCommit(false);
            try (Statement statement = claim.createStatement()) {
                statement.executeUpdate("UPDATE jobs SET state = 'RUNNING', lease_token = gen_random_uuid(),"
                        + " attempt = 1 WHERE id = '" + job + "'");
            }
            CompletableFuture<Response> cancel = CompletableFuture
                    .supplyAsync(() -> Api.as(tenant).post("/api/v1/jobs/" + job + "/cancel"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Db.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
            claim.commit();

            cancel.get(10, TimeUnit.SECONDS).then().statusCode(202).body("cancelRequested", equalTo(true));
        }
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE state = 'RUNNING' AND cancel_requested")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        for (JobState finished : new JobState[] { JobState.COMPLETED, JobState.DEAD_LETTER, JobState.CANCELLED }) {
            UUID job = JobRows.job(tenant, "noop", finished, Instant.now());
            Api.as(tenant).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(409).contentType(PROBLEM)
                    .body("type", equalTo("https://cloudsentinel.dev/problems/job-finished"))
                    .body("state", equalTo(finished.name()));
            assertThat(JobRows.state(job)).isEqualTo(finished.name());
        }
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE cancel_requested")).isZero();
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void theDeadLetterListShowsOnlyDeadJobsWithWhyTheyDied() {
        UUID dead = JobRows.dead(tenant, "noop", Instant.now());
        JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());
        JobRows.job(tenant, "noop", JobState.COMPLETED, Instant.now());

        Api.as(tenant, Roles.TENANT_ADMIN).get("/api/v1/jobs/dlq").then().statusCode(200)
                .body("jobs", hasSize(1))
                .body("jobs[0].id", equalTo(dead.toString()))
                .body("jobs[0].deadReason", equalTo("attempts-exhausted"))
                .body("jobs[0].lastError", equalTo("upstream 503"))
                .body("nextCursor", nullValue());
        Api.as(tenant, Roles.TENANT_ADMIN).queryParam("limit", 0).get("/api/v1/jobs/dlq").then().statusCode(400)
                .contentType(PROBLEM);
    }

    @Test
    void aReplayedJobWaitsAgainWithItsHistoryAndAttemptsToSpare() {
        UUID dead = JobRows.dead(tenant, "noop", Instant.now());
        Instant before = Instant.now();

        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/dlq/" + dead + "/replay").then().statusCode(200)
                .body("state", equalTo("PENDING"))
                .body("attempt", equalTo(3))
                .body("maxAttempts", equalTo(3 + types.of("noop").maxAttempts()))
                .body("deadReason", nullValue())
                .body("lastError", nullValue())
                .body("finishedAt", nullValue());

        assertThat(Db.count("SELECT count(*) FROM jobs WHERE state = 'PENDING' AND run_at >= "
                + Db.literal(before.minusSeconds(1)) + " AND finished_at IS NULL")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + dead + "'")).isEqualTo(3);
        assertThat(JobRows.events(dead, "PENDING")).isEqualTo(1);
        Api.as(tenant).get("/api/v1/jobs/" + dead).then().statusCode(200)
                .body("attempts.attempt", contains(1, 2, 3));
    }

    @Test
    void onlyDeadJobsAreReplayed() {
        UUID pending = JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());

        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/dlq/" + pending + "/replay").then().statusCode(409)
                .contentType(PROBLEM)
                .body("type", equalTo("https://cloudsentinel.dev/problems/job-not-dead-lettered"))
                .body("state", equalTo("PENDING"));
        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/dlq/" + UUID.randomUUID() + "/replay").then()
                .statusCode(404).contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void aDeadJobOfATypeNoHandlerRunsIsNotReplayed() {
        UUID dead = JobRows.dead(tenant, "retired_type", Instant.now());

        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/jobs/dlq/" + dead + "/replay").then().statusCode(422)
                .contentType(PROBLEM).body("jobType", equalTo("retired_type"));
        assertThat(JobRows.state(dead)).isEqualTo("DEAD_LETTER");
    }

    @Test
    void aBulkReplayTakesTheDeadJobsOfTheTypeThatDiedInTheRange() {
        Instant from = Instant.parse("2026-04-01T00:00:00Z");
        Instant to = Instant.parse("2026-04-02T00:00:00Z");
        UUID atFrom = JobRows.dead(tenant, "noop", from);
        UUID inside = JobRows.dead(tenant, "noop", from.plusSeconds(3600));
        UUID atTo = JobRows.dead(tenant, "noop", to);
        UUID before = JobRows.dead(tenant, "noop", from.minusSeconds(1));
        UUID otherType = JobRows.dead(tenant, "cost_ingestion", from.plusSeconds(60));
        UUID otherTenant = JobRows.dead(other, "noop", from.plusSeconds(60));

        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"type\":\"noop\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}")
                .post("/api/v1/jobs/dlq/replay").then().statusCode(200).body("replayed", equalTo(2));

        assertThat(JobRows.state(atFrom)).isEqualTo("PENDING");
        assertThat(JobRows.state(inside)).isEqualTo("PENDING");
        for (UUID untouched : new UUID[] { atTo, before, otherType, otherTenant }) {
            assertThat(JobRows.state(untouched)).as(untouched.toString()).isEqualTo("DEAD_LETTER");
        }
        assertThat(JobRows.events(atFrom, "PENDING")).isEqualTo(1);
        assertThat(JobRows.events(inside, "PENDING")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isEqualTo(2);
        assertThat(Db.count("SELECT count(*) FROM job_attempts WHERE job_id = '" + inside + "'")).isEqualTo(3);
    }

    @Test
    void badBulkReplaysAreProblemsAndReplayNothing() {
        JobRows.dead(tenant, "noop", Instant.parse("2026-04-01T10:00:00Z"));
        String from = "2026-04-01T00:00:00Z";
        String to = "2026-04-02T00:00:00Z";
        for (String body : new String[] { "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}",
                "{\"type\":\"noop\",\"to\":\"" + to + "\"}", "{\"type\":\"noop\",\"from\":\"yesterday\",\"to\":\"" + to
                        + "\"}",
                "{\"type\":\"noop\",\"from\":\"" + to + "\",\"to\":\"" + from + "\"}" }) {
            Api.as(tenant, Roles.TENANT_ADMIN).body(body).post("/api/v1/jobs/dlq/replay").then().statusCode(400)
                    .contentType(PROBLEM);
        }
        Api.as(tenant, Roles.TENANT_ADMIN).body("{\"type\":\"bitcoin_mining\",\"from\":\"" + from + "\",\"to\":\""
                + to + "\"}").post("/api/v1/jobs/dlq/replay").then().statusCode(422).contentType(PROBLEM);
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE state = 'DEAD_LETTER'")).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }

    @Test
    void deadLettersAreForTenantAdmins() {
        UUID dead = JobRows.dead(tenant, "noop", Instant.now());

        Api.as(tenant).get("/api/v1/jobs/dlq").then().statusCode(403).contentType(PROBLEM);
        Api.as(tenant).post("/api/v1/jobs/dlq/" + dead + "/replay").then().statusCode(403).contentType(PROBLEM);
        Api.as(tenant).body("{\"type\":\"noop\",\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2100-01-01T00:00:00Z\"}")
                .post("/api/v1/jobs/dlq/replay").then().statusCode(403).contentType(PROBLEM);
        assertThat(JobRows.state(dead)).isEqualTo("DEAD_LETTER");
    }

    @Test
    void anotherTenantCannotCancelOrReplayTheJobNorSeeItAmongItsDeadLetters() {
        UUID pending = JobRows.job(tenant, "noop", JobState.PENDING, Instant.now());
        UUID dead = JobRows.dead(tenant, "noop", Instant.now());

        Api.as(other).post("/api/v1/jobs/" + pending + "/cancel").then().statusCode(404).contentType(PROBLEM);
        Api.as(other, Roles.TENANT_ADMIN).post("/api/v1/jobs/dlq/" + dead + "/replay").then().statusCode(404)
                .contentType(PROBLEM);
        Api.as(other, Roles.TENANT_ADMIN).get("/api/v1/jobs/dlq").then().statusCode(200).body("jobs", hasSize(0));
        Api.as(other, Roles.TENANT_ADMIN)
                .body("{\"type\":\"noop\",\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2100-01-01T00:00:00Z\"}")
                .post("/api/v1/jobs/dlq/replay").then().statusCode(200).body("replayed", equalTo(0));

        assertThat(JobRows.state(pending)).isEqualTo("PENDING");
        assertThat(JobRows.state(dead)).isEqualTo("DEAD_LETTER");
        assertThat(Db.count("SELECT count(*) FROM cs_outbox")).isZero();
    }
}
