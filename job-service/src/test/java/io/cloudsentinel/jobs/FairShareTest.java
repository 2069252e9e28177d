package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.NoopHandler;
import io.cloudsentinel.jobs.store.JobClaim;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.Reactive;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The claim shares slots between tenants by weight, never past a tenant's cap, whatever their backlogs. */
@QuarkusTest
@JobsTestResources
class FairShareTest {

    private final TenantId flooding = TenantId.random();
    private final TenantId small = TenantId.random();
    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void clean() {
        Db.truncateAll();
    }

    @AfterEach
    void closePools() {
        pools.forEach(pool -> Reactive.await(pool::close));
    }

    @Test
    void aFloodOfOneTenantDoesNotDelayAnotherTenantsJobsBeyondTheFirstRounds() {
        Jobs.flood(flooding, NoopHandler.TYPE, 10_000);
        Jobs.flood(small, NoopHandler.TYPE, 10);
        Claimers worker = claimer();

        long smallStarted = 0;
        for (int round = 0; round < 3; round++) {
            List<JobClaim.Claimed> claimed = worker.claim(8, "w1");
            smallStarted += claimed.stream().filter(job -> job.tenant().equals(small)).count();
            worker.complete(claimed);
        }

        // cap 4 per tenant and type: 4 + 4 + 2, each round shared with the flooding tenant
        assertThat(smallStarted).isEqualTo(10);
    }

    @Test
    void waitingTenantsGetSlotsInProportionToTheirWeights() {
        Db.execute("INSERT INTO tenant_shares (tenant_id, weight, cap, updated_at) VALUES ('" + flooding
                + "', 3, 100, now()), ('" + small + "', 1, 100, now())");
        Jobs.flood(flooding, NoopHandler.TYPE, 2_000);
        Jobs.flood(small, NoopHandler.TYPE, 2_000);
        Claimers worker = claimer();

        Map<TenantId, Long> started = new java.util.HashMap<>();
        for (int round = 0; round < 100; round++) {
            List<JobClaim.Claimed> claimed = worker.claim(8, "w1");
            claimed.forEach(job -> started.merge(job.tenant(), 1L, Long::sum));
            worker.complete(claimed);
        }

        double ratio = (double) started.get(flooding) / started.get(small);
        assertThat(ratio).as("started %s", started).isBetween(3 * 0.9, 3 * 1.1);
    }

    @Test
    void twoReplicasClaimingAtOnceNeverRunMoreThanTheTenantsCap() throws Exception {
        Jobs.flood(flooding, NoopHandler.TYPE, 400);
        AtomicLong mostRunning = new AtomicLong();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (String name : List.of("replica-a", "replica-b")) {
            Claimers replica = claimer();
            runs.add(replicas.submit(() -> {
                start.await();
                for (int round = 0; round < 60; round++) {
                    List<JobClaim.Claimed> claimed = replica.claim(3, name);
                    mostRunning.accumulateAndGet(Db.count("SELECT count(*) FROM jobs WHERE state = 'RUNNING'"),
                            Math::max);
                    // end every other claim's jobs, so that slots are both taken and given back concurrently
                    if (round % 2 == 1) {
                        replica.complete(claimed);
                    } else {
                        replica.complete(claimed.subList(0, claimed.size() / 2));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get();
        }
        replicas.shutdown();

        assertThat(mostRunning.get()).as("running jobs of the tenant at any claim").isBetween(1L, 4L);
        assertThat(Db.count("SELECT coalesce(sum(running), 0) FROM job_slots"))
                .as("the slot counter agrees with the jobs").isEqualTo(
                        Db.count("SELECT count(*) FROM jobs WHERE state = 'RUNNING'"));
    }

    @Test
    void aTypesConcurrencyOnAReplicaLimitsWhatOneClaimTakes() {
        for (int i = 0; i < 5; i++) {
            Jobs.flood(TenantId.random(), NoopHandler.TYPE, 10);
        }

        assertThat(claimer().claim(16, 3, "w1")).hasSize(3);
    }

    private Claimers claimer() {
        Pool pool = Claimers.newPool(2);
        pools.add(pool);
        return Claimers.onOwnPool(pool, NoopHandler.TYPE);
    }
}
