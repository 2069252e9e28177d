package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.handler.NotificationHandler;
import io.cloudsentinel.jobs.service.Worker;
import io.cloudsentinel.jobs.store.JobIntake;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With private destinations not allowed (production's policy), a webhook on a loopback address or over plain http
 * is never connected to: the job is dead at once with the guard's reason. The rows are written straight into the
 * table, as the settings API (which checks the URL too) would refuse them.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
@TestProfile(NotificationDestinationTest.PublicOnly.class)
class NotificationDestinationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Counts the connections made to it; it answers none. */
    private static ServerSocket listener;
    private static final AtomicInteger connections = new AtomicInteger();

    private final TenantId tenant = TenantId.random();

    @Inject
    Worker worker;
    @Inject
    TenantSecrets secrets;
    /** Jobs.submit looks it up; injected here so that the container keeps it. */
    @Inject
    JobIntake intake;

    public static class PublicOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.jobs.notification.allow-private", "false");
        }
    }

    @BeforeAll
    static void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "counting-listener");
        accepting.setDaemon(true);
        accepting.start();
    }

    @AfterAll
    static void close() throws IOException {
        listener.close();
    }

    @BeforeEach
    void setUp() {
        WebhookRows.clear();
        connections.set(0);
        worker.start();
    }

    @AfterEach
    void tearDown() {
        worker.stop(Duration.ZERO);
    }

    private void webhookRow(String url) {
        String ciphertext = secrets.seal(tenant, WebhookSecret.PURPOSE, WebhookSecret.generate()).await()
                .atMost(WAIT);
        WebhookRows.execute("""
                INSERT INTO webhook_settings (tenant_id, url, events, secret_ciphertext, created_at, updated_at)
                VALUES ('%s', '%s', ARRAY['analysis.completed'], '%s', now(), now())
                """.formatted(tenant, url, ciphertext));
    }

    private UUID notification() {
        return Jobs.submit(tenant, NotificationHandler.TYPE, """
                {"type": "analysis.completed", "eventId": "%s", "occurredAt": "2026-12-01T12:00:00Z", "data": {}}
                """.formatted(UUID.randomUUID()));
    }

    private static String deadError(UUID job) {
        await().atMost(WAIT).until(() -> "DEAD_LETTER".equals(JobRows.state(job)));
        assertThat(JobRows.text("SELECT dead_reason FROM jobs WHERE id = '" + job + "'")).isEqualTo("fatal");
        return JobRows.text("SELECT last_error FROM jobs WHERE id = '" + job + "'");
    }

    @Test
    void aLoopbackWebhookIsRefusedAndNeverConnectedTo() {
        webhookRow("https://127.0.0.1:" + listener.getLocalPort() + "/hook");

        assertThat(deadError(notification())).contains("loopback", "127.0.0.1").doesNotContain("/hook");
        assertThat(connections).hasValue(0);
    }

    @Test
    void anIpv4MappedLoopbackWebhookIsRefusedToo() {
        webhookRow("https://[::ffff:127.0.0.1]:" + listener.getLocalPort() + "/hook");

        assertThat(deadError(notification())).contains("loopback");
        assertThat(connections).hasValue(0);
    }

    @Test
    void plainHttpIsRefused() {
        webhookRow("http://hooks.example.com/hook");

        assertThat(deadError(notification())).contains("scheme-not-allowed");
    }
}
