package io.cloudsentinel.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;
import io.cloudsentinel.testing.KafkaTestResource;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Base URLs under the production policy (private destinations refused, an operator's allow-list) and with
 * crypto-service unreachable: a refused URL and a key that cannot be sealed store nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@TestProfile(LlmDestinationPolicyTest.ProductionPolicy.class)
class LlmDestinationPolicyTest {

    /** The block an operator allows for its self-hosted models. */
    static final String ALLOWED_BLOCK = "10.20.0.0/16";

    public static class ProductionPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a crypto-service that is not there: nothing listens on the port
            return Map.of("cs.budget.llm.allow-private", "false", "cs.budget.llm.allowed-hosts", ALLOWED_BLOCK,
                    "quarkus.rest-client.crypto.url", "http://127.0.0.1:" + closedPort(), "cs.context.signing-key",
                    ContextTestKeys.SERVICE_PRIVATE);
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final TenantId tenant = TenantId.random();

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({ "http://93.184.215.14:8000, scheme-not-allowed", "https://10.0.0.5, private",
            "https://127.0.0.1:8443, loopback", "https://[::1]:8443, loopback", "https://169.254.169.254, metadata",
            "https://169.254.10.1, link-local", "https://192.168.1.20/v1-proxy, private",
            "https://10.21.0.1, private" })
    void aBaseUrlThePolicyRefusesIs422WithTheReasonAndNothingIsStored(String baseUrl, String reason) {
        Api.as(tenant, Roles.TENANT_ADMIN).body(LlmSettingsTest.settings("vllm", "llama-3.3-70b", null, baseUrl))
                .put(LlmSettingsTest.SETTINGS).then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(LlmSettingsTest.PROBLEMS + "destination-refused"))
                .body("reason", equalTo(reason)).body("field", equalTo("baseUrl"));

        assertThat(LlmSettingsRows.of(tenant)).isEmpty();
    }

    @Test
    void aPrivateAddressTheOperatorAllowsIsStored() {
        Api.as(tenant, Roles.TENANT_ADMIN)
                .body(LlmSettingsTest.settings("vllm", "llama-3.3-70b", null, "https://10.20.3.4:8000"))
                .put(LlmSettingsTest.SETTINGS).then().statusCode(200).body("baseUrl", equalTo("https://10.20.3.4:8000"))
                .body("apiKeySet", equalTo(false));

        assertThat(LlmSettingsRows.of(tenant))
                .contains(new LlmSettingsRows.Row("vllm", "llama-3.3-70b", "https://10.20.3.4:8000", null));
    }

    @Test
    void aKeyCryptoServiceCannotSealIs503AndNothingIsWritten() {
        String key = LlmSettingsTest.apiKey();
        Api.as(tenant, Roles.TENANT_ADMIN).body(LlmSettingsTest.settings("openai", "gpt-4o", null, null))
                .put(LlmSettingsTest.SETTINGS).then().statusCode(200);
        LlmSettingsRows.Row before = LlmSettingsRows.of(tenant).orElseThrow();

        String answer = Api.as(tenant, Roles.TENANT_ADMIN)
                .body(LlmSettingsTest.settings("openai", "gpt-4o-mini", key, null)).put(LlmSettingsTest.SETTINGS)
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(LlmSettingsTest.PROBLEMS + "crypto-unavailable")).extract().asString();

        assertThat(answer).doesNotContain(key);
        assertThat(LlmSettingsRows.of(tenant)).as("not even the model changed").contains(before);
    }
}
