package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cloudsentinel.jobs.store.AttemptEnd;
import io.cloudsentinel.jobs.store.ExpiredLeases;
import io.cloudsentinel.jobs.store.JobCancel;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.jobs.store.JobReplay;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Every statement that moves a job, tried on a job in every state: each moves only the states it may, and leaves every
 * other state as it was (the state machine lives in the statements' WHERE clauses, not in a read before them).
 */
@QuarkusTest
@JobsTestResources
class JobTransitionsTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final SystemTask TASK = new SystemTask("jobs-test");

    @Inject
    TenantTransactions transactions;
    @Inject
    JobClaim claim;
    @Inject
    AttemptEnd attemptEnd;
    @Inject
    JobCancel cancel;
    @Inject
    JobReplay replay;
    @Inject
    ExpiredLeases expiredLeases;
    @Inject
    JobTypes types;

    private final TenantId tenant = TenantId.random();

    @BeforeEach
    void empty() {
        Db.truncateAll();
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void aClaimStartsOnlyWaitingJobs(JobState state) {
        UUID job = JobRows.job(tenant, "noop", state, Instant.now().minusSeconds(60));

        List<JobClaim.Claimed> claimed = system(connection -> claim.claim(connection, claimRequest(), Instant.now()));

        boolean waiting = state == JobState.PENDING || state == JobState.RETRY_SCHEDULED;
        assertThat(claimed).hasSize(waiting ? 1 : 0);
        assertThat(JobRows.state(job)).isEqualTo(waiting ? "RUNNING" : state.name());
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void anEndMovesOnlyARunningJobThatHoldsTheToken(JobState state) {
        UUID job = JobRows.job(tenant, "noop", state, Instant.now().minusSeconds(60));
        UUID token = leaseToken(job);

        // a stale token first: never an end, whatever the state
        system(connection -> attemptEnd.end(connection, List.of(AttemptEnd.End.completed(tenant, job,
                UUID.randomUUID())), Instant.now()));
        assertThat(JobRows.state(job)).isEqualTo(state.name());

        system(connection -> attemptEnd.end(connection, List.of(AttemptEnd.End.completed(tenant, job,
                token == null ? UUID.randomUUID() : token)), Instant.now()));
        assertThat(JobRows.state(job)).isEqualTo(state == JobState.RUNNING ? "COMPLETED" : state.name());
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void aCancelEndsOnlyAWaitingJobAndAsksARunningOneToStop(JobState state) {
        UUID job = JobRows.job(tenant, "noop", state, Instant.now().minusSeconds(60));

        system(connection -> cancel.cancel(connection, tenant, job, Instant.now()));

        Map<JobState, String> after = Map.of(JobState.PENDING, "CANCELLED", JobState.RETRY_SCHEDULED, "CANCELLED");
        assertThat(JobRows.state(job)).isEqualTo(after.getOrDefault(state, state.name()));
        assertThat(JobRows.text("SELECT cancel_requested FROM jobs WHERE id = '" + job + "'"))
                .isEqualTo(state == JobState.RUNNING ? "t" : "f");
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void aReplayRevivesOnlyADeadJob(JobState state) {
        UUID job = JobRows.job(tenant, "noop", state, Instant.now().minusSeconds(60));

        system(connection -> replay.one(connection, tenant, job, Map.of("noop", 3), Instant.now()));

        assertThat(JobRows.state(job)).isEqualTo(state == JobState.DEAD_LETTER ? "PENDING" : state.name());
    }

    @ParameterizedTest
    @EnumSource(JobState.class)
    void theRescuerTakesOnlyRunningJobsWhoseLeaseExpired(JobState state) {
        UUID job = JobRows.job(tenant, "noop", state, Instant.now().minusSeconds(60));

        List<ExpiredLeases.Expired> now = system(connection -> expiredLeases.lock(connection, Instant.now(), 10));
        List<ExpiredLeases.Expired> later = system(connection -> expiredLeases.lock(connection,
                Instant.now().plus(Duration.ofHours(1)), 10));

        assertThat(now).as("its lease has a minute left").isEmpty();
        assertThat(later).extracting(ExpiredLeases.Expired::jobId)
                .containsExactlyElementsOf(state == JobState.RUNNING ? List.of(job) : List.of());
    }

    private UUID leaseToken(UUID job) {
        String token = JobRows.text("SELECT lease_token FROM jobs WHERE id = '" + job + "'");
        return token == null ? null : UUID.fromString(token);
    }

    private JobClaim.Request claimRequest() {
        List<String> names = new ArrayList<>(types.names());
        return new JobClaim.Request(10, names, names.stream().map(type -> 30.0).toList(),
                names.stream().map(type -> 10).toList(), "transitions-test", 6.0, 1.0);
    }

    private <T> T system(Function<SqlConnection, Uni<T>> work) {
        return transactions.asSystem(TASK, work).await().atMost(WITHIN);
    }
}
