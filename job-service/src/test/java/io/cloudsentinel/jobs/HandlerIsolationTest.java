package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.LeaseLostException;
import io.cloudsentinel.jobs.handler.NoopHandler;
import io.cloudsentinel.jobs.handlers.PeekingHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.test.junit.QuarkusTest;

/** A handler sees only its job's tenant, and its run is closed once the attempt ended. */
@QuarkusTest
@JobsTestResources
class HandlerIsolationTest {

    private final TenantId tenantA = TenantId.random();
    private final TenantId tenantB = TenantId.random();

    @Inject
    Worker worker;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    @BeforeEach
    void setUp() {
        Db.truncateAll();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
    }

    @Test
    void aHandlerOfOneTenantSeesNoneOfAnotherTenantsJobsAndItsRunClosesAfterTheAttempt() {
        Jobs.flood(tenantB, NoopHandler.TYPE, 3);
        Db.execute("UPDATE jobs SET run_at = now() + interval '1 hour'");
        UUID job = Jobs.submit(tenantA, PeekingHandler.TYPE, "{}");

        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(AttemptsTest.state(job)));

        assertThat(PeekingHandler.SEEN.get(job)).containsExactly(tenantA.value());
        assertThatThrownBy(() -> Reactive.await(() -> PeekingHandler.RUNS.get(job)
                .inTenant(connection -> connection.query("SELECT 1").execute())))
                .isInstanceOf(LeaseLostException.class);
    }
}
