package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.jobs.service.KafkaIntake;
import io.cloudsentinel.platform.tenant.TenantId;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Kafka intake's batches against the real database: each request of a batch gets its own answer, and batches
 * that hold the same keys at the same time make one job per key.
 */
@QuarkusTest
@JobsTestResources
class KafkaIntakeTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Inject
    KafkaIntake intake;
    @Inject
    ObjectMapper json;

    @Test
    void inOneBatchADuplicateFindsItsJobAndEachConflictIsRefusedOnItsOwn() throws Exception {
        TenantId tenant = TenantId.random();
        UUID taken = UUID.randomUUID();
        List<JobRequest> batch = List.of(
                request(tenant, Optional.empty(), "a", "{}"),
                request(tenant, Optional.empty(), "a", "{}"),
                request(tenant, Optional.empty(), "a", "{\"other\":true}"),
                request(tenant, Optional.of(taken), "b", "{}"),
                request(tenant, Optional.of(taken), "c", "{}"),
                request(tenant, Optional.empty(), "d", "{}"));

        List<KafkaIntake.Answer> answers = intake.storeAll(batch, untraced(batch.size())).await().atMost(WITHIN);

        assertThat(answers).hasSize(6);
        assertThat(answers.get(0).stored()).get().satisfies(stored -> assertThat(stored.created()).isTrue());
        assertThat(answers.get(1).stored()).get().satisfies(stored -> {
            assertThat(stored.created()).isFalse();
            assertThat(stored.id()).isEqualTo(answers.get(0).stored().orElseThrow().id());
        });
        assertThat(answers.get(2).refused()).get().satisfies(
                refusal -> assertThat(refusal.reason()).isEqualTo(DlqReason.CONFLICT));
        assertThat(answers.get(3).stored()).get().satisfies(stored -> assertThat(stored.id()).isEqualTo(taken));
        assertThat(answers.get(4).refused()).get().satisfies(refusal -> {
            assertThat(refusal.reason()).isEqualTo(DlqReason.CONFLICT);
            assertThat(refusal.getMessage()).contains(taken.toString());
        });
        assertThat(answers.get(5).stored()).get().satisfies(stored -> assertThat(stored.created()).isTrue());
        assertThat(Db.count("SELECT count(*) FROM jobs WHERE tenant_id = '" + tenant + "'")).isEqualTo(3);
        assertThat(Db.count("SELECT count(*) FROM cs_outbox WHERE tenant_id = '" + tenant + "'"))
                .as("one PENDING event per job made").isEqualTo(3);
    }

    @Test
    void concurrentBatchesOfTheSameKeysMakeOneJobPerKey() throws Exception {
        List<TenantId> tenants = IntStream.range(0, 10).mapToObj(i -> TenantId.random()).toList();
        List<JobRequest> requests = new ArrayList<>();
        for (TenantId tenant : tenants) {
            for (int key = 0; key < 50; key++) {
                requests.add(request(tenant, Optional.empty(), "same-" + key, "{}"));
            }
        }
        int consumers = 4;
        CyclicBarrier together = new CyclicBarrier(consumers);
        ExecutorService threads = Executors.newFixedThreadPool(consumers);
        List<CompletableFuture<List<KafkaIntake.Answer>>> runs = new ArrayList<>();
        try {
            for (int c = 0; c < consumers; c++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    List<JobRequest> mine = new ArrayList<>(requests);
                    Collections.shuffle(mine);
                    List<KafkaIntake.Answer> answers = new ArrayList<>();
                    try {
                        together.await();
                        for (int from = 0; from < mine.size(); from += 100) {
                            answers.addAll(
                                    intake.storeAll(mine.subList(from, from + 100), untraced(100)).await().atMost(WITHIN));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return answers;
                }, threads));
            }
            List<KafkaIntake.Answer> all = new ArrayList<>();
            for (CompletableFuture<List<KafkaIntake.Answer>> run : runs) {
                all.addAll(run.get());
            }

            assertThat(all).hasSize(consumers * requests.size())
                    .allSatisfy(answer -> assertThat(answer.refused()).isEmpty());
            assertThat(all.stream().filter(answer -> answer.stored().orElseThrow().created()))
                    .as("each key is made by exactly one request").hasSize(requests.size());
            String ofTheseTenants = String.join("','", tenants.stream().map(TenantId::toString).toList());
            assertThat(Db.count("SELECT count(*) FROM jobs WHERE tenant_id IN ('" + ofTheseTenants + "')"))
                    .isEqualTo(requests.size());
        } finally {
            threads.shutdownNow();
        }
    }

    private JobRequest request(TenantId tenant, Optional<UUID> jobId, String dedupKey, String payload)
            throws Exception {
        return new JobRequest(tenant, jobId, "noop", dedupKey, json.readTree(payload), 0, Optional.empty());
    }

    /** No record's span: tracing is off in these tests. */
    private static List<io.cloudsentinel.platform.tracing.SpanTrace> untraced(int requests) {
        return java.util.Collections.nCopies(requests, null);
    }
}
