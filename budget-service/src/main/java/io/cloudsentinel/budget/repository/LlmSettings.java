package io.cloudsentinel.budget.repository;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.cloudsentinel.budget.LlmProvider;
import io.cloudsentinel.budget.LlmProviderSettings;

/** A tenant's LLM settings row: read, changed and written back as one aggregate. */
@Entity
@Table(name = "llm_settings")
public class LlmSettings {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Column(nullable = false)
    String provider;

    @Column(nullable = false)
    String model;

    @Column(name = "base_url")
    String baseUrl;

    @Column(name = "api_key_ciphertext")
    String apiKeyCiphertext;

    @Column(name = "key_set_at")
    Instant keySetAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected LlmSettings() {
    }

    public static LlmSettings of(UUID tenantId, LlmProvider provider, String model, Optional<URI> baseUrl,
            Instant at) {
        LlmSettings settings = new LlmSettings();
        settings.tenantId = tenantId;
        settings.choose(provider, model, baseUrl, at);
        return settings;
    }

    /** Provider, model and base URL; the key stays as it is. */
    public void choose(LlmProvider provider, String model, Optional<URI> baseUrl, Instant at) {
        this.provider = provider.wireName();
        this.model = model;
        this.baseUrl = baseUrl.map(URI::toString).orElse(null);
        this.updatedAt = at;
    }

    /** @param ciphertext the key sealed by crypto-service, never the key */
    public void replaceKey(String ciphertext, Instant at) {
        apiKeyCiphertext = ciphertext;
        keySetAt = at;
        updatedAt = at;
    }

    public void removeKey(Instant at) {
        if (apiKeyCiphertext != null) {
            apiKeyCiphertext = null;
            keySetAt = null;
            updatedAt = at;
        }
    }

    public LlmProviderSettings settings() {
        return new LlmProviderSettings(LlmProvider.named(provider).orElseThrow(), model,
                Optional.ofNullable(baseUrl).map(URI::create), Optional.ofNullable(apiKeyCiphertext),
                Optional.ofNullable(keySetAt), updatedAt);
    }
}
