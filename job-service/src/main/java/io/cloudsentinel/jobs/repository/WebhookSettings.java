package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A tenant's webhook settings row: its URL and event types are read, changed and written back here. The secrets are
 * written once with the row and then only by the rotation statement ({@code store/WebhookSecretRotation}), never by
 * this entity, so that a change of URL cannot write back a secret a concurrent rotation replaced.
 */
@Entity
@Table(name = "webhook_settings")
public class WebhookSettings {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Column(name = "url", nullable = false)
    String url;

    @Column(name = "events", nullable = false)
    String[] events;

    @Column(name = "secret_ciphertext", nullable = false, updatable = false)
    String secretCiphertext;

    @Column(name = "previous_secret_ciphertext", insertable = false, updatable = false)
    String previousSecretCiphertext;

    @Column(name = "previous_valid_until", insertable = false, updatable = false)
    Instant previousValidUntil;

    @Column(name = "rotated_at", insertable = false, updatable = false)
    Instant rotatedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected WebhookSettings() {
    }

    /** A new webhook with its first secret, already sealed. */
    public static WebhookSettings of(UUID tenantId, String url, Collection<String> events, String secretCiphertext,
            Instant at) {
        WebhookSettings settings = new WebhookSettings();
        settings.tenantId = tenantId;
        settings.secretCiphertext = secretCiphertext;
        settings.createdAt = at;
        settings.change(url, events, at);
        return settings;
    }

    public void change(String url, Collection<String> events, Instant at) {
        this.url = url;
        this.events = new TreeSet<>(events).toArray(String[]::new);
        this.updatedAt = at;
    }

    public String url() {
        return url;
    }

    /** In name order. */
    public TreeSet<String> events() {
        return new TreeSet<>(Arrays.asList(events));
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Optional<Instant> rotatedAt() {
        return Optional.ofNullable(rotatedAt);
    }

    /** When the previous secret stops signing; absent when there is none. */
    public Optional<Instant> previousValidUntil() {
        return Optional.ofNullable(previousSecretCiphertext).flatMap(previous -> Optional.ofNullable(previousValidUntil));
    }
}
