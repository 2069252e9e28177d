package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The earlier system's Fernet tokens decrypt through the API and rewrap into tenant-bound ciphertexts. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LegacyRewrapTest {

    @Test
    @SuppressWarnings("unchecked")
    void legacyTokensDecryptAndRewrapIntoTheCallersTenantAndPurpose() throws Exception {
        List<Map<String, String>> tokens = (List<Map<String, String>>) FernetTest.legacy().get("tokens");
        TenantId tenant = TenantId.random();
        for (Map<String, String> token : tokens) {
            byte[] expected = Base64.getDecoder().decode(token.get("plaintextBase64"));

            assertThat(CryptoRoundTripTest.decrypt(tenant, "provider-key", token.get("token"))).isEqualTo(expected);

            String rewrapped = Api.as(tenant).body(Map.of("purpose", "provider-key", "ciphertext", token.get("token")))
                    .post("/api/v1/crypto/rewrap").then().statusCode(200).extract().path("ciphertext");
            assertThat(rewrapped).startsWith("cs:v");
            assertThat(CryptoRoundTripTest.decrypt(tenant, "provider-key", rewrapped)).isEqualTo(expected);
            CryptoRoundTripTest.failsToDecrypt(TenantId.random(), "provider-key", rewrapped);
        }
    }

    @Test
    void aTamperedLegacyTokenFailsLikeAnyOther() throws Exception {
        @SuppressWarnings("unchecked")
        String token = ((List<Map<String, String>>) FernetTest.legacy().get("tokens")).get(1).get("token");
        char last = token.charAt(token.length() - 3);
        String tampered = token.substring(0, token.length() - 3) + (last == 'A' ? 'B' : 'A')
                + token.substring(token.length() - 2);

        CryptoRoundTripTest.failsToDecrypt(TenantId.random(), "provider-key", tampered);
    }
}
