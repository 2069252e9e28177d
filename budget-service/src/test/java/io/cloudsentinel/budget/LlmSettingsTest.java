package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.budget.service.LlmSettingsService;
import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * LLM settings against the real crypto-service (the packaged sibling): the API key is sealed before it is stored,
 * stored only as a ciphertext, shown to no one, and handed as ciphertext to a service acting for its tenant alone;
 * the earlier system's Fernet keys are rewrapped at import; bad input stores nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class LlmSettingsTest {

    static final String SETTINGS = "/api/v1/llm/settings";
    static final String CREDENTIALS = SETTINGS + "/credentials";
    static final String PROBLEMS = "https://cloudsentinel.dev/problems/";
    private static final String LEGACY_IMPORT = SETTINGS + "/legacy-import";
    private static final Duration CRYPTO_ANSWER = Duration.ofSeconds(30);

    @Inject
    TenantSecrets secrets;

    private final TenantId tenant = TenantId.random();

    @Test
    void theKeyIsStoredOnlyAsACiphertextAndNoAnswerOrLogLineShowsIt() {
        String key = apiKey();

        String put;
        String get;
        try (CapturedLog log = CapturedLog.start()) {
            put = Api.as(tenant, Roles.TENANT_ADMIN).body(settings("openai", "gpt-4o", key, null)).put(SETTINGS)
                    .then().statusCode(200).body("provider", equalTo("openai")).body("model", equalTo("gpt-4o"))
                    .body("apiKeySet", equalTo(true)).body("keySetAt", notNullValue()).extract().asString();
            get = Api.as(tenant).get(SETTINGS).then().statusCode(200).body("apiKeySet", equalTo(true))
                    .body("baseUrl", nullValue()).extract().asString();
            assertThat(log.lines()).noneMatch(line -> line.contains(key));
        }
        // the answer's times are the stored ones, as a later read shows them
        assertThat(JsonPath.from(get).getString("keySetAt")).isEqualTo(JsonPath.from(put).getString("keySetAt"));
        assertThat(JsonPath.from(get).getString("updatedAt")).isEqualTo(JsonPath.from(put).getString("updatedAt"));

        String stored = LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext();
        assertThat(stored).startsWith("cs:v").doesNotContain(key);
        for (String answer : List.of(put, get)) {
            assertThat(answer).doesNotContain(key).doesNotContain(stored).doesNotContain("apiKey\"");
        }
    }

    @Test
    void onlyAServiceOfTheTenantGetsTheCiphertextAndItOpensForThatTenantAlone() {
        String key = apiKey();
        store(tenant, settings("openai", "gpt-4o", key, null));

        for (String role : List.of(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN)) {
            Api.as(tenant, role).get(CREDENTIALS).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }
        String ciphertext = Api.asService(tenant).get(CREDENTIALS).then().statusCode(200)
                .body("provider", equalTo("openai")).body("model", equalTo("gpt-4o")).body("baseUrl", nullValue())
                .extract().path("apiKeyCiphertext");

        assertThat(ciphertext).isEqualTo(LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext());
        assertThat(open(tenant, ciphertext)).isEqualTo(key);
        assertThatThrownBy(() -> open(TenantId.random(), ciphertext)).isInstanceOf(SecretRefusedException.class);
    }

    @Test
    void eachTenantsServiceReadsItsOwnSettingsOnly() {
        TenantId other = TenantId.random();
        String key = apiKey();
        String otherKey = apiKey();
        store(tenant, settings("vllm", "llama-3.3-70b", key, "https://127.0.0.1:8000/"));
        store(other, settings("openai", "gpt-4o-mini", otherKey, null));

        var mine = Api.asService(tenant).get(CREDENTIALS).then().statusCode(200)
                .body("provider", equalTo("vllm")).body("baseUrl", equalTo("https://127.0.0.1:8000")).extract()
                .jsonPath();
        var theirs = Api.asService(other).get(CREDENTIALS).then().statusCode(200)
                .body("provider", equalTo("openai")).body("model", equalTo("gpt-4o-mini")).extract().jsonPath();

        assertThat(open(tenant, mine.getString("apiKeyCiphertext"))).isEqualTo(key);
        assertThat(open(other, theirs.getString("apiKeyCiphertext"))).isEqualTo(otherKey);
        TenantId none = TenantId.random();
        Api.asService(none).get(CREDENTIALS).then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(PROBLEMS + "llm-settings-not-found"));
        Api.as(none).get(SETTINGS).then().statusCode(404).body("type", equalTo(PROBLEMS + "llm-settings-not-found"));
    }

    @Test
    void aPutWithoutAKeyKeepsTheStoredKeyAndOneWithAKeyReplacesIt() {
        store(tenant, settings("openai", "gpt-4o", apiKey(), null));
        String first = LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext();

        Api.as(tenant, Roles.TENANT_ADMIN).body(settings("openai", "gpt-4o-mini", null, null)).put(SETTINGS).then()
                .statusCode(200).body("model", equalTo("gpt-4o-mini")).body("apiKeySet", equalTo(true));
        assertThat(LlmSettingsRows.of(tenant).orElseThrow())
                .isEqualTo(new LlmSettingsRows.Row("openai", "gpt-4o-mini", null, first));

        String replacement = apiKey();
        store(tenant, settings("openai", "gpt-4o-mini", replacement, null));
        String second = LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext();
        assertThat(second).isNotEqualTo(first);
        assertThat(open(tenant, second)).isEqualTo(replacement);
    }

    @Test
    void deletingTheKeyKeepsTheRestAndOnlyAnAdminMayDoIt() {
        store(tenant, settings("ollama", "llama-3.3-70b", apiKey(), "http://localhost:11434"));

        Api.as(tenant, Roles.TENANT_USER).delete(SETTINGS + "/api-key").then().statusCode(403);
        assertThat(LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext()).isNotNull();
        Api.as(tenant, Roles.TENANT_ADMIN).delete(SETTINGS + "/api-key").then().statusCode(204);
        Api.as(tenant, Roles.TENANT_ADMIN).delete(SETTINGS + "/api-key").then().statusCode(204);

        Api.as(tenant).get(SETTINGS).then().statusCode(200).body("apiKeySet", equalTo(false))
                .body("keySetAt", nullValue()).body("provider", equalTo("ollama"))
                .body("baseUrl", equalTo("http://localhost:11434"));
        Api.asService(tenant).get(CREDENTIALS).then().statusCode(200).body("apiKeyCiphertext", nullValue())
                .body("model", equalTo("llama-3.3-70b"));
        assertThat(LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext()).isNull();
    }

    @Test
    void deletingTheSettingsRemovesThemWithTheKey() {
        store(tenant, settings("openai", "gpt-4o", apiKey(), null));

        Api.as(tenant, Roles.TENANT_USER).delete(SETTINGS).then().statusCode(403);
        Api.as(tenant, Roles.TENANT_ADMIN).delete(SETTINGS).then().statusCode(204);

        Api.as(tenant).get(SETTINGS).then().statusCode(404);
        Api.asService(tenant).get(CREDENTIALS).then().statusCode(404);
        assertThat(LlmSettingsRows.of(tenant)).isEmpty();
    }

    @Test
    void onlyATenantAdminSetsTheSettings() {
        for (String role : List.of(Roles.TENANT_USER, Roles.SERVICE, Roles.PLATFORM_ADMIN)) {
            Api.as(tenant, role).body(settings("openai", "gpt-4o", apiKey(), null)).put(SETTINGS).then()
                    .statusCode(403).contentType(Problem.MEDIA_TYPE);
        }
        assertThat(LlmSettingsRows.of(tenant)).isEmpty();
    }

    static Stream<Arguments> badSettings() {
        String key = apiKey();
        return Stream.of(
                Arguments.of("unknown provider", settings("anthropic", "gpt-4o", key, null), 422, "unknown-provider"),
                Arguments.of("unknown model", settings("openai", "gpt-17-ultra", key, null), 422, "unknown-model"),
                Arguments.of("key of 513 characters", settings("openai", "gpt-4o", "k".repeat(513), null), 400,
                        "validation-failed"),
                Arguments.of("empty key", settings("openai", "gpt-4o", "", null), 400, "validation-failed"),
                Arguments.of("key with a space", settings("openai", "gpt-4o", "sk-" + key + " x", null), 400,
                        "validation-failed"),
                Arguments.of("vllm without base URL", settings("vllm", "llama-3.3-70b", key, null), 400,
                        "validation-failed"),
                Arguments.of("base URL with a query", settings("vllm", "llama-3.3-70b", key,
                        "https://127.0.0.1:8000/?token=abc"), 400, "validation-failed"),
                Arguments.of("base URL that is no URL", settings("vllm", "llama-3.3-70b", key, "llm host"), 400,
                        "validation-failed"),
                Arguments.of("base URL with credentials", settings("vllm", "llama-3.3-70b", key,
                        "https://admin:hunter2@127.0.0.1:8000"), 422, "destination-refused"),
                Arguments.of("base URL of a metadata service", settings("litellm", "gpt-4o", key,
                        "http://169.254.169.254"), 422, "destination-refused"),
                Arguments.of("no model", settings("openai", null, key, null), 400, "validation-failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void badSettingsAreAProblemThatSaysWhatIsWrongAndNothingIsStored(String bad, Map<String, Object> body,
            int status, String type) {
        String answer = Api.as(tenant, Roles.TENANT_ADMIN).body(body).put(SETTINGS).then().statusCode(status)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo(PROBLEMS + type)).extract().asString();

        assertThat(LlmSettingsRows.of(tenant)).as(bad).isEmpty();
        Api.as(tenant).get(SETTINGS).then().statusCode(404);
        if (body.get("apiKey") instanceof String key && !key.isEmpty()) {
            assertThat(answer).as("the answer never shows the key").doesNotContain(key);
        }
        assertThat(answer).doesNotContain("hunter2");
    }

    @Test
    void theRefusalsNameWhatIsKnownAndWhatIsWrong() {
        put(tenant, settings("anthropic", "gpt-4o", null, null)).statusCode(422)
                .body("knownProviders", containsInAnyOrder("openai", "vllm", "ollama", "litellm", "openai-compatible"));
        put(tenant, settings("openai", "gpt-17-ultra", null, null)).statusCode(422)
                .body("knownModels", hasItem("gpt-4o")).body("model", equalTo("gpt-17-ultra"));
        put(tenant, settings("openai", "gpt-4o", "k".repeat(513), null)).statusCode(400)
                .body("violations[0].field", equalTo("apiKey"));
        put(tenant, settings("openai-compatible", "gpt-4o", null, null)).statusCode(400)
                .body("violations[0].field", equalTo("baseUrl"));
        put(tenant, settings("litellm", "gpt-4o", null, "http://169.254.169.254")).statusCode(422)
                .body("reason", equalTo("metadata")).body("field", equalTo("baseUrl"));
    }

    @Test
    void aBadPutLeavesTheStoredSettingsAsTheyWere() {
        store(tenant, settings("openai", "gpt-4o", apiKey(), null));
        LlmSettingsRows.Row before = LlmSettingsRows.of(tenant).orElseThrow();

        put(tenant, settings("openai", "gpt-17-ultra", apiKey(), null)).statusCode(422);
        put(tenant, settings("vllm", "gpt-4o", apiKey(), "https://127.0.0.1:8000/?q=1")).statusCode(400);
        put(tenant, settings("openai", "gpt-4o-mini", "k".repeat(513), null)).statusCode(400);

        assertThat(LlmSettingsRows.of(tenant)).contains(before);
    }

    @Test
    void aLegacyKeyIsRewrappedAtImportAndNoFernetTokenIsStored() {
        String key = apiKey();
        String token = LegacyFernetToken.of(SiblingServices.legacyFernetKey(), key);
        TenantId operators = TenantId.random();

        try (CapturedLog log = CapturedLog.start()) {
            Api.as(operators, Roles.PLATFORM_ADMIN).body(legacy(tenant, token)).put(LEGACY_IMPORT).then()
                    .statusCode(200).body("apiKeySet", equalTo(true)).body("model", equalTo("gpt-4o"));

            assertThat(log.of(LlmSettingsService.class, "INFO"))
                    .anySatisfy(line -> assertThat(line).contains(Api.context(operators).userId())
                            .contains(tenant.toString()));
            assertThat(log.lines()).noneMatch(line -> line.contains(token) || line.contains(key));
        }

        String stored = LlmSettingsRows.of(tenant).orElseThrow().apiKeyCiphertext();
        assertThat(stored).startsWith("cs:v").isNotEqualTo(token).doesNotContain("gAAAAA");
        assertThat(open(tenant, stored)).isEqualTo(key);
        assertThat(LlmSettingsRows.of(operators)).as("the operator's own tenant").isEmpty();
    }

    @Test
    void onlyAPlatformAdminImports() {
        String token = LegacyFernetToken.of(SiblingServices.legacyFernetKey(), apiKey());

        for (String role : List.of(Roles.TENANT_ADMIN, Roles.SERVICE)) {
            Api.as(tenant, role).body(legacy(tenant, token)).put(LEGACY_IMPORT).then().statusCode(403)
                    .body("type", equalTo(PROBLEMS + "forbidden"));
        }
        assertThat(LlmSettingsRows.of(tenant)).isEmpty();
    }

    @Test
    void aTokenTheLegacyKeysDoNotOpenOrNoTokenAtAllStoresNothing() {
        TenantId operators = TenantId.random();

        Api.as(operators, Roles.PLATFORM_ADMIN)
                .body(legacy(tenant, LegacyFernetToken.of(LegacyFernetToken.unknownKey(), apiKey())))
                .put(LEGACY_IMPORT).then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(PROBLEMS + "legacy-key-refused"));
        Api.as(operators, Roles.PLATFORM_ADMIN).body(legacy(tenant, "sk-" + apiKey())).put(LEGACY_IMPORT).then()
                .statusCode(400).body("violations[0].field", equalTo("legacyApiKey"));
        Map<String, Object> notATenant = legacy(tenant, LegacyFernetToken.of(SiblingServices.legacyFernetKey(),
                apiKey()));
        notATenant.put("tenant", "operators");
        Api.as(operators, Roles.PLATFORM_ADMIN).body(notATenant).put(LEGACY_IMPORT).then().statusCode(400)
                .body("violations[0].field", equalTo("tenant"));

        assertThat(LlmSettingsRows.of(tenant)).isEmpty();
    }

    private String open(TenantId owner, String ciphertext) {
        return secrets.open(owner, LlmSettingsService.API_KEY_PURPOSE, ciphertext).await().atMost(CRYPTO_ANSWER);
    }

    private static void store(TenantId tenant, Map<String, Object> settings) {
        put(tenant, settings).statusCode(200);
    }

    private static ValidatableResponse put(TenantId tenant, Map<String, Object> settings) {
        return Api.as(tenant, Roles.TENANT_ADMIN).body(settings).put(SETTINGS).then();
    }

    static String apiKey() {
        return "sk-test-" + UUID.randomUUID();
    }

    /** A PUT body; null members are left out. */
    static Map<String, Object> settings(String provider, String model, String apiKey, String baseUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider);
        body.put("model", model);
        body.put("apiKey", apiKey);
        body.put("baseUrl", baseUrl);
        body.values().removeIf(java.util.Objects::isNull);
        return body;
    }

    private static Map<String, Object> legacy(TenantId tenant, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant.toString());
        body.put("provider", "openai");
        body.put("model", "gpt-4o");
        body.put("legacyApiKey", token);
        return body;
    }
}
