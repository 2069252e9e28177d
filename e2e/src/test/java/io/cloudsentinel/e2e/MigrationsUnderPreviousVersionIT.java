package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.local.Stack;

/**
 * Fault: an upgrade. The chart's pre-upgrade hook migrates while the previous release's pods serve, then new pods
 * come up beside them until the old ones are gone. Both halves, for each service whose migrations changed since the
 * previous release: its process keeps serving while this checkout's migrations run on its database under users'
 * traffic, and on the new schema it serves beside the new process, sharing the same database and broker. Neither
 * fails a call or logs an error (expand/contract). A migration that drops, renames or tightens what the previous
 * release uses, or that locks its tables for long, turns this red.
 */
class MigrationsUnderPreviousVersionIT {

    private static final Duration PACE = Duration.ofMillis(100);

    @Test
    void thePreviousReleaseKeepsServingWhileTheMigrationsRun() throws Exception {
        List<String> changed = changedSinceThePreviousRelease();
        Path sources = PreviousRelease.build(PreviousRelease.commit(), changed);
        Stack stack = SuiteUnderTest.stack();
        for (String service : changed) {
            UpgradeRehearsal rehearsal = UpgradeRehearsal.prepare(stack, service, sources);
            stack.migrate(service, PreviousRelease.jar(sources, service), rehearsal.database);
            try (Stack.Instance previous = rehearsal.serve(stack, PreviousRelease.jar(sources, service))) {
                Workload workload = workload(service, previous);
                List<String> failures;
                int during;
                int after;
                try (Traffic traffic = Traffic.start(service, PACE, workload.round())) {
                    traffic.awaitCompleted(5);
                    int before = traffic.completed();
                    stack.migrate(service, stack.jar(service), rehearsal.database);
                    during = traffic.completed() - before;
                    traffic.awaitCompleted(traffic.completed() + 10);
                    after = traffic.completed() - before - during;
                    failures = traffic.stop();
                }
                assertThat(failures).as("calls to %s of the previous release that failed during its upgrade",
                        service).isEmpty();
                assertThat(during).as("rounds served while the migration ran").isPositive();
                assertThat(after).as("rounds served after it").isGreaterThanOrEqualTo(10);
                workload.settled();
                assertNoErrors(service, previous);
            }
        }
    }

    @Test
    void thePreviousReleaseServesBesideTheNewOnTheNewSchema() throws Exception {
        List<String> changed = changedSinceThePreviousRelease();
        Path sources = PreviousRelease.build(PreviousRelease.commit(), changed);
        Stack stack = SuiteUnderTest.stack();
        for (String service : changed) {
            try (Stack.Instance previous = stack.serveAlso(service, PreviousRelease.jar(sources, service))) {
                switch (service) {
                    case "job-service" -> jobsServe(previous);
                    case "budget-service" -> budgetsServe(previous);
                    case "scheduler-service" -> schedulesServe(previous);
                    case "crypto-service" -> cryptoServes(previous);
                    default -> throw new IllegalStateException("no probe for " + service);
                }
                assertNoErrors(service, previous);
            }
        }
    }

    /** The services whose migrations changed since the previous release; the test is skipped if none did. */
    private static List<String> changedSinceThePreviousRelease() throws Exception {
        String commit = PreviousRelease.commit();
        Assumptions.assumeTrue(PreviousRelease.available(commit), "this clone does not hold " + commit);
        List<String> changed = PreviousRelease.servicesWithNewMigrations(commit);
        Assumptions.assumeFalse(changed.isEmpty(), "no migration since " + commit + ": nothing to prove");
        return changed;
    }

    private static void assertNoErrors(String service, Stack.Instance previous) throws Exception {
        List<String> errors = Files.readAllLines(previous.log()).stream()
                .filter(line -> line.contains("\"level\":\"ERROR\"")).toList();
        assertThat(errors).as("errors of %s of the previous release", service).isEmpty();
    }

    /** Users' calls to one service, round after round, and what must hold once they stop. */
    private interface Workload {
        Traffic.Round round();

        void settled() throws Exception;
    }

    private static Workload workload(String service, Stack.Instance previous) throws Exception {
        return switch (service) {
            case "job-service" -> new JobsWorkload(previous);
            case "budget-service" -> new BudgetsWorkload(previous);
            case "scheduler-service" -> new SchedulesWorkload(previous);
            case "crypto-service" -> new CryptoWorkload(previous);
            default -> throw new IllegalStateException("no workload for " + service);
        };
    }

    /**
     * Jobs submitted through the API and read back, and requested on the rehearsal's {@code jobs.requested}, by four
     * tenants in turn; in the end each has run exactly once.
     */
    private static final class JobsWorkload implements Workload {
        private final List<Caller> tenants = List.of(Caller.tenantAdmin(UUID.randomUUID()),
                Caller.tenantAdmin(UUID.randomUUID()), Caller.tenantAdmin(UUID.randomUUID()),
                Caller.tenantAdmin(UUID.randomUUID()));
        private final List<Direct> calls;
        private final Map<UUID, Integer> requested = new java.util.concurrent.ConcurrentHashMap<>();
        private final JobRequests producer = new JobRequests(UpgradeRehearsal.topic("jobs.requested"));

        JobsWorkload(Stack.Instance previous) {
            calls = tenants.stream().map(tenant -> new Direct(previous.url(), "job-service", tenant)).toList();
        }

        @Override
        public Traffic.Round round() {
            return number -> {
                Caller tenant = tenants.get(number % tenants.size());
                Direct call = calls.get(number % tenants.size());
                Caller.Answer submitted = call.post("/api/v1/jobs", "{\"type\":\"noop\",\"payload\":{\"holdMillis\":0}}",
                        "Idempotency-Key", "api-" + number);
                assertThat(submitted.status()).as("submit: %s", submitted).isEqualTo(201);
                Caller.Answer read = call.get("/api/v1/jobs/" + submitted.json().path("id").asText());
                assertThat(read.status()).as("read: %s", read).isEqualTo(200);
                producer.noop(tenant.tenant, "kafka-" + number, 0);
                requested.merge(tenant.tenant, 2, Integer::sum);
            };
        }

        @Override
        public void settled() {
            producer.close();
            for (int i = 0; i < tenants.size(); i++) {
                Jobs.awaitNoopsCompletedOnce(calls.get(i)::get, requested.getOrDefault(tenants.get(i).tenant, 0));
            }
        }
    }

    /** Holds taken and settled under a budget set through the previous release; none is left reserved. */
    private static final class BudgetsWorkload implements Workload {
        private final Direct admin;

        BudgetsWorkload(Stack.Instance previous) {
            admin = new Direct(previous.url(), "budget-service", Caller.tenantAdmin(UUID.randomUUID()));
            Caller.Answer set = admin.put("/api/v1/budgets/me", "{\"monthlyLimitMicros\":1000000000}");
            assertThat(set.status()).as("budget: %s", set).isEqualTo(200);
        }

        @Override
        public Traffic.Round round() {
            return number -> {
                Caller.Answer hold = admin.post("/api/v1/llm/authorizations", "{\"model\":\"gpt-4o-mini\","
                        + "\"inputTokens\":200,\"maxOutputTokens\":100,\"idempotencyKey\":\"during-" + number + "\"}");
                assertThat(hold.status()).as("authorize: %s", hold).isEqualTo(201);
                Caller.Answer settled = admin.post("/api/v1/llm/authorizations/" + hold.json().path("holdId").asText()
                        + "/settle", "{\"inputTokens\":150,\"outputTokens\":50}");
                assertThat(settled.status()).as("settle: %s", settled).isEqualTo(200);
                assertThat(admin.get("/api/v1/budgets/me").status()).isEqualTo(200);
            };
        }

        @Override
        public void settled() {
            JsonNode budget = admin.get("/api/v1/budgets/me").json();
            assertThat(budget.path("spentMicros").asLong()).isPositive();
            assertThat(budget.path("reservedMicros").asLong()).as("reserved after every hold settled").isZero();
        }
    }

    /**
     * A schedule switched on and off and runs requested through the previous release; every run is on the
     * rehearsal's {@code jobs.requested}, and no emission is there twice.
     */
    private static final class SchedulesWorkload implements Workload {
        private final Caller tenant = Caller.tenantAdmin(UUID.randomUUID());
        private final Direct call;
        private final java.util.Set<String> runs = java.util.concurrent.ConcurrentHashMap.newKeySet();

        SchedulesWorkload(Stack.Instance previous) {
            call = new Direct(previous.url(), "scheduler-service", tenant);
        }

        @Override
        public Traffic.Round round() {
            return number -> {
                Caller.Answer switched = call.put("/api/v1/schedules/me/zombie_scan",
                        "{\"enabled\":" + (number % 2 == 0) + "}");
                assertThat(switched.status()).as("switch: %s", switched).isEqualTo(200);
                assertThat(call.get("/api/v1/schedules/me").status()).isEqualTo(200);
                Caller.Answer run = call.post("/api/v1/schedules/me/cost_ingestion/run-now", null,
                        "Idempotency-Key", "during-" + number);
                assertThat(run.status()).as("run now: %s", run).isEqualTo(202);
                runs.add(run.json().path("jobId").asText());
            };
        }

        @Override
        public void settled() {
            TopicLog requests = TopicLog.of(UpgradeRehearsal.topic("jobs.requested"));
            // the switched schedule's own slots are emitted too (a schedule switched on is due at once)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(requests.ofTenant(tenant.tenant))
                    .extracting(event -> event.json().path("jobId").asText()).doesNotHaveDuplicates()
                    .containsAll(runs));
        }
    }

    /** Sealed and opened through the previous release, round after round. */
    private static final class CryptoWorkload implements Workload {
        private final Direct call;

        CryptoWorkload(Stack.Instance previous) {
            call = new Direct(previous.url(), "crypto-service", Caller.tenantUser(UUID.randomUUID()));
        }

        @Override
        public Traffic.Round round() {
            return number -> {
                String plaintext = Base64.getEncoder().encodeToString(("during-" + number).getBytes());
                Caller.Answer sealed = call.post("/api/v1/crypto/encrypt", "{\"purpose\":\"upgrade\",\"plaintext\":\""
                        + plaintext + "\"}");
                assertThat(sealed.status()).as("encrypt: %s", sealed).isEqualTo(200);
                Caller.Answer opened = call.post("/api/v1/crypto/decrypt", "{\"purpose\":\"upgrade\","
                        + "\"ciphertext\":\"" + sealed.json().path("ciphertext").asText() + "\"}");
                assertThat(opened.json().path("plaintext").asText()).as("decrypt: %s", opened).isEqualTo(plaintext);
            };
        }

        @Override
        public void settled() {
            // every round checked its own ciphertext
        }
    }

    /**
     * Old job-service: its API over jobs the new one wrote and its own; with the new one stopped, it alone runs the
     * jobs from Kafka, and the new one, back, shows them done once.
     */
    private static void jobsServe(Stack.Instance previous) throws Exception {
        Caller tenant = Caller.tenantAdmin(UUID.randomUUID());
        String throughGateway = Jobs.requestNoop(tenant, 0);
        Jobs.awaitState(tenant, throughGateway, "COMPLETED");
        JsonNode read = direct(previous, "job-service", tenant, "GET", "/api/v1/jobs/" + throughGateway, null, 200);
        assertThat(read.path("state").asText()).isEqualTo("COMPLETED");
        JsonNode written = direct(previous, "job-service", tenant, "POST", "/api/v1/jobs",
                "{\"type\":\"noop\",\"payload\":{\"holdMillis\":0}}", 201, "Idempotency-Key", "old-" + UUID.randomUUID());
        Jobs.awaitState(tenant, written.path("id").asText(), "COMPLETED");

        // the moment before the new pods are ready (or after a rollback): the previous release alone takes the
        // jobs from Kafka and runs them on the new schema; which process claims a job is otherwise a race
        double claimedBefore = claimed(previous);
        List<Caller> tenants = new ArrayList<>();
        SuiteUnderTest.stack().stop("job-service");
        try {
            try (JobRequests producer = new JobRequests()) {
                for (int t = 0; t < 4; t++) {
                    Caller one = Caller.tenantAdmin(UUID.randomUUID());
                    tenants.add(one);
                    for (int i = 0; i < 10; i++) {
                        producer.noop(one.tenant, "upgrade-" + i, 200);
                    }
                }
            }
            for (Caller one : tenants) {
                Jobs.awaitNoopsCompletedOnce(new Direct(previous.url(), "job-service", one)::get, 10);
            }
        } finally {
            SuiteUnderTest.stack().restart("job-service");
        }
        assertThat(claimed(previous) - claimedBefore).as("jobs the previous release's process claimed")
                .isGreaterThanOrEqualTo(40);
        // and the new process, back, shows what the old one did: each job completed once
        for (Caller one : tenants) {
            Jobs.awaitNoopsCompletedOnce(one, 10);
        }
    }

    private static double claimed(Stack.Instance instance) {
        return Metrics.sum(instance.management("/q/metrics"), "cs_jobs_claimed_total", null, null);
    }

    /** Old budget-service: a hold taken and settled through it, counted by the new one. */
    private static void budgetsServe(Stack.Instance previous) throws Exception {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        assertThat(admin.put("/api/v1/budgets/me", Map.of("monthlyLimitMicros", 1_000_000)).status()).isEqualTo(200);
        JsonNode hold = direct(previous, "budget-service", admin, "POST", "/api/v1/llm/authorizations",
                "{\"model\":\"gpt-4o-mini\",\"inputTokens\":200,\"maxOutputTokens\":100,\"idempotencyKey\":\"old-"
                        + UUID.randomUUID() + "\"}",
                201);
        direct(previous, "budget-service", admin, "POST", "/api/v1/llm/authorizations/" + hold.path("holdId").asText()
                + "/settle", "{\"inputTokens\":150,\"outputTokens\":50}", 200);
        JsonNode budget = admin.get("/api/v1/budgets/me").json();
        assertThat(budget.path("spentMicros").asLong()).isPositive();
        assertThat(budget.path("reservedMicros").asLong()).isZero();
    }

    /** Old scheduler-service: the tenant's schedules read and changed through it. */
    private static void schedulesServe(Stack.Instance previous) throws Exception {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        assertThat(admin.get("/api/v1/schedules/me").status()).isEqualTo(200);
        direct(previous, "scheduler-service", admin, "PUT", "/api/v1/schedules/me/zombie_scan",
                "{\"enabled\":false}", 200);
        JsonNode schedules = await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/schedules/me")
                .json().path("schedules"), found -> found.size() > 0);
        assertThat(schedules).filteredOn(one -> one.path("jobType").asText().equals("zombie_scan")).singleElement()
                .satisfies(one -> assertThat(one.path("enabled").asBoolean()).isFalse());
    }

    /** Old crypto-service: what it seals the new one opens, and the other way round. */
    private static void cryptoServes(Stack.Instance previous) throws Exception {
        Caller user = Caller.tenantUser(UUID.randomUUID());
        String plaintext = Base64.getEncoder().encodeToString("upgrade".getBytes());
        JsonNode sealedByOld = direct(previous, "crypto-service", user, "POST", "/api/v1/crypto/encrypt",
                "{\"purpose\":\"upgrade\",\"plaintext\":\"" + plaintext + "\"}", 200);
        Caller.Answer opened = user.post("/api/v1/crypto/decrypt", Map.of("purpose", "upgrade", "ciphertext",
                sealedByOld.path("ciphertext").asText()));
        assertThat(opened.json().path("plaintext").asText()).isEqualTo(plaintext);
        String sealedByNew = user.post("/api/v1/crypto/encrypt", Map.of("purpose", "upgrade", "plaintext", plaintext))
                .json().path("ciphertext").asText();
        assertThat(direct(previous, "crypto-service", user, "POST", "/api/v1/crypto/decrypt",
                "{\"purpose\":\"upgrade\",\"ciphertext\":\"" + sealedByNew + "\"}", 200).path("plaintext").asText())
                .isEqualTo(plaintext);
    }

    /** A call straight to the previous release's process, with a context signed as the gateway signs it. */
    private static JsonNode direct(Stack.Instance previous, String audience, Caller caller, String method,
            String path, String json, int expected, String... headers) {
        Caller.Answer answer = new Direct(previous.url(), audience, caller).call(method, path, json, headers);
        assertThat(answer.status()).as("%s %s on the previous release: %s", method, path, answer.body())
                .isEqualTo(expected);
        return answer.body().isEmpty() ? Caller.JSON.createObjectNode() : answer.json();
    }
}
