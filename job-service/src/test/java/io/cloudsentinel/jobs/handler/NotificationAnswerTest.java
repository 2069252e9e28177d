package io.cloudsentinel.jobs.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudsentinel.platform.egress.Exchange;

/** What a webhook's answer means for the notification job: done, retried (when), or dead. */
class NotificationAnswerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration CAP = Duration.ofHours(1);

    private static Optional<RuntimeException> failure(int status, String retryAfter) {
        Map<String, List<String>> headers = retryAfter == null ? Map.of() : Map.of("retry-after", List.of(retryAfter));
        return DeliveryOutcome.failure(new Exchange.Answered(status, headers, new byte[0]), "hooks.example.com", NOW,
                CAP);
    }

    @ParameterizedTest
    @ValueSource(ints = { 200, 201, 202, 204, 299 })
    void aSuccessIsDelivered(int status) {
        assertThat(failure(status, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = { 301, 302, 303, 307, 308 })
    void aRedirectIsFatalAndNotFollowed(int status) {
        assertThat(failure(status, null)).containsInstanceOf(FatalJobException.class).get().extracting(
                Throwable::getMessage).asString().contains("redirect_refused", "hooks.example.com");
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 410, 413, 422 })
    void aClientErrorOtherThan408And429IsFatal(int status) {
        assertThat(failure(status, null)).containsInstanceOf(FatalJobException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 429, 500, 502, 503, 504 })
    void aTimeoutTooManyRequestsOrServerErrorIsRetried(int status) {
        assertThat(failure(status, null)).containsInstanceOf(WebhookDeliveryException.class);
    }

    @Test
    void retryAfterInSecondsIsTheLeastWait() {
        assertThat(failure(429, "2")).get().isInstanceOfSatisfying(RetryAfterException.class,
                retry -> assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheWaitUntilThen() {
        assertThat(failure(503, "Tue, 01 Dec 2026 12:05:00 GMT")).get().isInstanceOfSatisfying(
                RetryAfterException.class, retry -> assertThat(retry.delay()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void retryAfterIsCappedAtAnHour() {
        assertThat(DeliveryOutcome.retryAfter("86400", NOW, CAP)).hasValue(CAP);
        assertThat(DeliveryOutcome.retryAfter("99999999999999999999", NOW, CAP)).hasValue(CAP);
        assertThat(DeliveryOutcome.retryAfter("Wed, 02 Dec 2026 12:00:00 GMT", NOW, CAP)).hasValue(CAP);
    }

    @Test
    void aRetryAfterInThePastIsNoWaitAndAnUnreadableOneIsIgnored() {
        assertThat(DeliveryOutcome.retryAfter("Tue, 01 Dec 2026 11:00:00 GMT", NOW, CAP)).hasValue(Duration.ZERO);
        assertThat(DeliveryOutcome.retryAfter("soon", NOW, CAP)).isEmpty();
        assertThat(DeliveryOutcome.retryAfter("-5", NOW, CAP)).isEmpty();
        assertThat(failure(503, "soon")).containsInstanceOf(WebhookDeliveryException.class);
    }

    @Test
    void noAnswerAndNoConnectionAreRetriedNamingTheHost() {
        assertThat(DeliveryOutcome.failure(new Exchange.NoAnswer(new IOException("connection reset")),
                "hooks.example.com", NOW, CAP)).containsInstanceOf(WebhookDeliveryException.class).get()
                .extracting(Throwable::getMessage).asString().contains("hooks.example.com", "connection reset");
        assertThat(DeliveryOutcome.failure(new Exchange.NotConnected(new ConnectException("refused")),
                "hooks.example.com", NOW, CAP)).containsInstanceOf(WebhookDeliveryException.class);
    }
}
