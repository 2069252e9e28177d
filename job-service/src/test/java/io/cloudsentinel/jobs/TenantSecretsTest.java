package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.SiblingServices;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * This service's secrets go through the real crypto-service as this service acting for one tenant: sealed for the
 * tenant and purpose, they open for that tenant and purpose only.
 */
@QuarkusTest
@JobsTestResources
@WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name = "services", value = "crypto-service"))
class TenantSecretsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TenantSecrets secrets;

    @Test
    void aSealedSecretOpensForItsTenantAndPurposeOnly() {
        TenantId tenant = TenantId.random();
        TenantId other = TenantId.random();
        String ciphertext = secrets.seal(tenant, "webhook_secret", "whsec_plain-value").await().atMost(WAIT);

        assertThat(ciphertext).startsWith("cs:v").doesNotContain("plain-value");
        assertThat(secrets.open(tenant, "webhook_secret", ciphertext).await().atMost(WAIT))
                .isEqualTo("whsec_plain-value");
        assertThatThrownBy(() -> secrets.open(other, "webhook_secret", ciphertext).await().atMost(WAIT))
                .isInstanceOf(SecretRefusedException.class).hasMessageNotContaining("plain-value");
        assertThatThrownBy(() -> secrets.open(tenant, "llm_api_key", ciphertext).await().atMost(WAIT))
                .isInstanceOf(SecretRefusedException.class);
    }
}
