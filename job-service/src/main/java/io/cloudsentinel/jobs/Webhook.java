package io.cloudsentinel.jobs;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's webhook as deliveries read it: where to send, the event types it subscribed to, and its signing
 * secrets as crypto-service sealed them (purpose {@link WebhookSecret#PURPOSE}). After a rotation the previous secret
 * still signs until {@code previousValidUntil}.
 */
public record Webhook(URI url, Set<String> events, String secretCiphertext, Optional<String> previousSecretCiphertext,
        Optional<Instant> previousValidUntil) {

    public Webhook {
        events = Set.copyOf(events);
    }
}
