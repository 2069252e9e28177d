package io.cloudsentinel.jobs.handler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.cloudsentinel.platform.egress.Exchange;

/**
 * What one webhook delivery's exchange means for its job: 2xx delivered; a redirect (we follow none) or a 4xx other
 * than 408 and 429 fatal; 408, 429, 5xx and no answer retried, after the receiver's {@code Retry-After} (seconds or
 * an HTTP date, capped) when it gave one. Messages name the host and status, never the URL's path or a header.
 */
final class DeliveryOutcome {

    private static final int MAX_CAUSE_LENGTH = 300;

    private DeliveryOutcome() {
    }

    /** Empty when delivered; otherwise the failure the attempt ends with. */
    static Optional<RuntimeException> failure(Exchange exchange, String host, Instant now, Duration maxRetryAfter) {
        if (exchange instanceof Exchange.Answered answered) {
            int status = answered.status();
            if (status >= 200 && status < 300) {
                return Optional.empty();
            }
            if (status >= 300 && status < 400) {
                return Optional.of(new FatalJobException("the webhook at " + host + " answered " + status
                        + " (redirect_refused): redirects are not followed"));
            }
            boolean retried = status == 408 || status == 429 || status >= 500 || status < 200;
            if (!retried) {
                return Optional.of(new FatalJobException("the webhook at " + host + " answered " + status
                        + ": refused, not retried"));
            }
            String message = "the webhook at " + host + " answered " + status;
            return Optional.of(retryAfter(answered.header("retry-after"), now, maxRetryAfter)
                    .<RuntimeException> map(delay -> new RetryAfterException(message + ", retry after " + delay,
                            delay))
                    .orElseGet(() -> new WebhookDeliveryException(message)));
        }
        if (exchange instanceof Exchange.NotConnected notConnected) {
            return Optional.of(new WebhookDeliveryException("could not connect to the webhook at " + host + ": "
                    + describe(notConnected.cause())));
        }
        Exchange.NoAnswer noAnswer = (Exchange.NoAnswer) exchange;
        return Optional.of(new WebhookDeliveryException("no complete answer from the webhook at " + host + ": "
                + describe(noAnswer.cause())));
    }

    /** A {@code Retry-After} value as a wait from now, at most {@code cap}; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String value, Instant now, Duration cap) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Duration delay;
        if (text.chars().allMatch(Character::isDigit)) {
            // more digits than a long holds is still "very long": the cap
            delay = text.length() > 12 ? cap : Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                delay = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (delay.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(delay.compareTo(cap) > 0 ? cap : delay);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        String text = cause.getClass().getSimpleName() + message;
        return text.length() <= MAX_CAUSE_LENGTH ? text : text.substring(0, MAX_CAUSE_LENGTH) + "…";
    }
}
