package io.cloudsentinel.jobs.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import io.cloudsentinel.jobs.WebhookSecret;

/** Our signatures verify with an independent Standard Webhooks implementation (the published Java library). */
class NotificationSignatureTest {

    private static final String ID = "evt_2b8c0c44-6c02-4bfa-b8d4-7e2c3b8f9a11";
    private static final String BODY = "{\"type\":\"analysis.completed\",\"timestamp\":\"2026-12-01T12:00:00Z\","
            + "\"data\":{\"analysisId\":\"a-1\",\"note\":\"naïve ✓\"}}";

    private static Map<String, List<String>> headers(String signature, long timestamp) {
        return Map.of("webhook-id", List.of(ID), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    private static String header(List<String> secrets, long timestamp) {
        return WebhookSignature.header(secrets, ID, timestamp, BODY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSignatureVerifiesWithTheStandardWebhooksLibrary() {
        String secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();

        assertThatCode(() -> new Webhook(secret).verify(BODY, headers(header(List.of(secret), now), now)))
                .doesNotThrowAnyException();
    }

    @Test
    void aChangedBodyOrAnotherSecretDoesNotVerify() {
        String secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();
        String signature = header(List.of(secret), now);

        assertThatThrownBy(() -> new Webhook(secret).verify(BODY.replace("a-1", "a-2"), headers(signature, now)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSecret.generate()).verify(BODY, headers(signature, now)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationBothSignaturesAreSentAndEachVerifiesWithItsSecret() {
        String current = WebhookSecret.generate();
        String previous = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();

        String signature = header(List.of(current, previous), now);

        assertThat(signature.split(" ")).hasSize(2).allSatisfy(part -> assertThat(part).startsWith("v1,"));
        assertThatCode(() -> new Webhook(current).verify(BODY, headers(signature.split(" ")[0], now)))
                .doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(previous).verify(BODY, headers(signature.split(" ")[1], now)))
                .doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(previous).verify(BODY, headers(signature, now))).doesNotThrowAnyException();
    }

    @Test
    void aSecretThatIsNotBase64IsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> header(List.of("whsec_not*base64!"), 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not*base64!");
    }
}
