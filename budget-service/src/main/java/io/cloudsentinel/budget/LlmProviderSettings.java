package io.cloudsentinel.budget;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** A tenant's LLM provider settings as stored: the API key only as crypto-service's ciphertext, if any. */
public record LlmProviderSettings(LlmProvider provider, String model, Optional<URI> baseUrl,
        Optional<String> apiKeyCiphertext, Optional<Instant> keySetAt, Instant updatedAt) {
}
