package io.cloudsentinel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 6: a tenant's webhook gets its events signed per Standard Webhooks; a receiver that answers 500 and then
 * 200 gets the same event (same webhook-id) once more, and then no more.
 */
class WebhooksIT {

    @Test
    void aReceiverThatFailsOnceGetsTheSignedEventOnceMoreThenNoMore() throws Exception {
        Caller admin = Caller.tenantAdmin(UUID.randomUUID());
        String hook = "tenant-" + admin.tenant;
        Caller.Answer settings = admin.put("/api/v1/jobs/settings/webhook", Map.of("url",
                SuiteUnderTest.WEBHOOKS.url(hook, 500), "events", List.of("job.dead_lettered")));
        assertThat(settings.status()).as(settings.toString()).isEqualTo(201);
        String secret = settings.json().path("secret").asText();

        String dead = Jobs.requestNoop(admin, 3_000);
        Jobs.awaitState(admin, dead, "DEAD_LETTER");

        List<WebhookReceiver.Delivery> deliveries = await().atMost(Duration.ofSeconds(60))
                .until(() -> SuiteUnderTest.WEBHOOKS.deliveries(hook), found -> found.size() >= 2);
        assertThat(deliveries).extracting(WebhookReceiver.Delivery::answeredWith).containsExactly(500, 200);
        assertThat(deliveries).extracting(WebhookReceiver.Delivery::id).containsOnly(deliveries.get(0).id());
        for (WebhookReceiver.Delivery delivery : deliveries) {
            assertThat(delivery.body()).contains(dead).contains("job.dead_lettered");
            assertThat(delivery.signature().split(" ")).as("a signature of this delivery under the tenant's secret")
                    .contains("v1," + sign(secret, delivery));
        }

        // the notification job that delivered it is done: nothing is left to send again
        JsonNode notification = await().atMost(Duration.ofSeconds(30)).until(() -> Jobs.list(admin,
                "&type=notification"),
                jobs -> jobs.size() == 1 && jobs.get(0).path("state").asText()
                        .equals("COMPLETED"))
                .get(0);
        assertThat(notification.path("attempt").asInt()).isEqualTo(2);
        assertThat(SuiteUnderTest.WEBHOOKS.deliveries(hook)).hasSize(2);
    }

    private static String sign(String secret, WebhookReceiver.Delivery delivery) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signature = mac.doFinal((delivery.id() + "." + delivery.timestamp() + "." + delivery.body())
                .getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signature);
    }
}
