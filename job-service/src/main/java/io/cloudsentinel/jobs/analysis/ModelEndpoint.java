package io.cloudsentinel.jobs.analysis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import io.cloudsentinel.jobs.client.BudgetClient;
import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.platform.egress.DestinationRefusedException;

/**
 * Which model an analysis calls, where, and with whose key. A tenant with LLM settings is called at its own base
 * URL with its own key (sealed; none for a self-hosted model without one); a tenant without them at the platform's
 * base URL with the platform's key. The two never mix: the platform key never goes to a tenant's URL, a tenant's key
 * never to another URL.
 */
public record ModelEndpoint(Whose whose, String provider, String model, URI chatUrl, Optional<String> keyCiphertext) {

    /** Where {@code openai} tenants without a base URL of their own are served. */
    static final String OPENAI_BASE_URL = "https://api.openai.com";

    public enum Whose {
        TENANT,
        PLATFORM
    }

    /**
     * The tenant's own endpoint; empty when it cannot be called: an {@code openai} tenant without a key (the
     * platform's is not for a tenant's settings), or a self-hosted provider without a base URL.
     */
    public static Optional<ModelEndpoint> ofTenant(BudgetClient.LlmCredentials settings) {
        Optional<String> key = Optional.ofNullable(settings.apiKeyCiphertext()).filter(text -> !text.isBlank());
        boolean openai = "openai".equals(settings.provider());
        String baseUrl = settings.baseUrl() != null && !settings.baseUrl().isBlank() ? settings.baseUrl()
                : openai ? OPENAI_BASE_URL : null;
        if (baseUrl == null || (openai && key.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ModelEndpoint(Whose.TENANT, settings.provider(), settings.model(), chatUrl(baseUrl),
                key));
    }

    /** The platform's endpoint; empty without a platform key. */
    public static Optional<ModelEndpoint> ofPlatform(AnalysisConfig.Platform platform) {
        if (platform.apiKey().filter(key -> !key.isBlank()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ModelEndpoint(Whose.PLATFORM, platform.provider(), platform.model(),
                chatUrl(platform.baseUrl()), Optional.empty()));
    }

    /**
     * {@code {baseUrl}/v1/chat/completions}; a base URL that already ends in {@code /v1} (as OpenAI's SDKs take it)
     * is not given a second one.
     *
     * @throws DestinationRefusedException {@code malformed-url}, for the job to fail on
     */
    static URI chatUrl(String baseUrl) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        try {
            URI url = new URI(base + ChatCompletion.PATH);
            if (url.getScheme() == null || url.getHost() == null) {
                throw new URISyntaxException(base, "no scheme or host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new DestinationRefusedException("malformed-url", "the model's base URL is not an absolute URL");
        }
    }
}
