package io.cloudsentinel.budget;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The LLM providers a tenant may choose: all of them speak {@code POST {baseUrl}/v1/chat/completions}. Only OpenAI
 * has a base URL everyone shares; the others run where the tenant (or its operator) runs them.
 */
public enum LlmProvider {

    OPENAI("openai", false),
    VLLM("vllm", true),
    OLLAMA("ollama", true),
    LITELLM("litellm", true),
    OPENAI_COMPATIBLE("openai-compatible", true);

    /** Where an {@code openai} tenant without a base URL of its own is served. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com";

    private final String wireName;
    private final boolean needsBaseUrl;

    LlmProvider(String wireName, boolean needsBaseUrl) {
        this.wireName = wireName;
        this.needsBaseUrl = needsBaseUrl;
    }

    /** The name in the API and in {@code llm_settings.provider}. */
    public String wireName() {
        return wireName;
    }

    public boolean needsBaseUrl() {
        return needsBaseUrl;
    }

    public static Optional<LlmProvider> named(String name) {
        return Arrays.stream(values()).filter(provider -> provider.wireName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(LlmProvider::wireName).toList();
    }
}
