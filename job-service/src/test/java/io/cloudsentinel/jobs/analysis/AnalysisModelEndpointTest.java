package io.cloudsentinel.jobs.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.jobs.client.BudgetClient;
import io.cloudsentinel.jobs.config.AnalysisConfig;
import io.cloudsentinel.platform.egress.DestinationRefusedException;

/** Which endpoint and key an analysis uses: the tenant's own or the platform's, never a mix (plain logic). */
class AnalysisModelEndpointTest {

    @Test
    void aTenantIsCalledAtItsOwnBaseUrlWithItsOwnSealedKey() {
        ModelEndpoint endpoint = ModelEndpoint.ofTenant(new BudgetClient.LlmCredentials("vllm", "llama-3.3-70b",
                "http://10.0.0.5:8000/v1/", "cs:v1:abc")).orElseThrow();

        assertThat(endpoint.whose()).isEqualTo(ModelEndpoint.Whose.TENANT);
        assertThat(endpoint.chatUrl()).isEqualTo(URI.create("http://10.0.0.5:8000/v1/chat/completions"));
        assertThat(endpoint.keyCiphertext()).contains("cs:v1:abc");
    }

    @Test
    void anOpenAiTenantWithoutABaseUrlGoesToOpenAiAndWithoutAKeyToNoOne() {
        assertThat(ModelEndpoint.ofTenant(new BudgetClient.LlmCredentials("openai", "gpt-4o", null, "cs:v1:k"))
                .orElseThrow().chatUrl()).isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
        // the platform's key is not for a tenant's own settings
        assertThat(ModelEndpoint.ofTenant(new BudgetClient.LlmCredentials("openai", "gpt-4o", null, null)))
                .isEmpty();
        // a self-hosted model may need no key
        assertThat(ModelEndpoint.ofTenant(new BudgetClient.LlmCredentials("ollama", "llama-3.3-70b",
                "http://127.0.0.1:11434", null)).orElseThrow().keyCiphertext()).isEmpty();
    }

    @Test
    void withoutAPlatformKeyThereIsNoPlatformEndpoint() {
        assertThat(ModelEndpoint.ofPlatform(platform(Optional.empty()))).isEmpty();
        assertThat(ModelEndpoint.ofPlatform(platform(Optional.of(" ")))).isEmpty();
        ModelEndpoint platform = ModelEndpoint.ofPlatform(platform(Optional.of("sk-platform"))).orElseThrow();
        assertThat(platform.whose()).isEqualTo(ModelEndpoint.Whose.PLATFORM);
        assertThat(platform.keyCiphertext()).isEmpty();
        assertThat(platform.chatUrl()).isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
    }

    @Test
    void aBaseUrlThatIsNoUrlIsRefused() {
        assertThatThrownBy(() -> ModelEndpoint.ofTenant(new BudgetClient.LlmCredentials("vllm", "llama-3.3-70b",
                "not a url", null))).isInstanceOf(DestinationRefusedException.class)
                .extracting(e -> ((DestinationRefusedException) e).reason()).isEqualTo("malformed-url");
    }

    private static AnalysisConfig.Platform platform(Optional<String> key) {
        return new AnalysisConfig.Platform() {
            @Override
            public String provider() {
                return "openai";
            }

            @Override
            public String baseUrl() {
                return "https://api.openai.com";
            }

            @Override
            public String model() {
                return "gpt-4o-mini";
            }

            @Override
            public Optional<String> apiKey() {
                return key;
            }
        };
    }
}
