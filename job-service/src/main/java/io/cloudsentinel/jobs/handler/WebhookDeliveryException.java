package io.cloudsentinel.jobs.handler;

/** A delivery that did not arrive for now (no answer, 5xx, 408, 429): retried with the type's backoff. */
public class WebhookDeliveryException extends RuntimeException {

    public WebhookDeliveryException(String message) {
        super(message);
    }
}
