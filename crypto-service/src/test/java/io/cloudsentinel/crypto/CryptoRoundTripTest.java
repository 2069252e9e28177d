package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Round trips of every size, and ciphertexts that do not open for anyone else. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class CryptoRoundTripTest {

    private final TenantId tenant = TenantId.random();

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 64 * 1024, 1024 * 1024 })
    void roundTrip(int size) {
        byte[] plaintext = random(size);

        String ciphertext = encrypt(tenant, "provider-key", plaintext);

        assertThat(ciphertext).matches("cs:v[0-9]+:[A-Za-z0-9_-]+");
        assertThat(decrypt(tenant, "provider-key", ciphertext)).isEqualTo(plaintext);
    }

    @Test
    void aBatchOfAThousandRoundTrips() {
        List<String> plaintexts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            plaintexts.add(Base64.getEncoder().encodeToString(("secret number " + i).getBytes()));
        }
        List<String> ciphertexts = Api.as(tenant).body(Map.of("purpose", "batch", "items", plaintexts))
                .post("/api/v1/crypto/encrypt").then().statusCode(200).extract().jsonPath().getList("ciphertexts");

        List<String> decrypted = Api.as(tenant).body(Map.of("purpose", "batch", "items", ciphertexts))
                .post("/api/v1/crypto/decrypt").then().statusCode(200).extract().jsonPath().getList("plaintexts");

        assertThat(ciphertexts).hasSize(1000).doesNotHaveDuplicates();
        assertThat(decrypted).isEqualTo(plaintexts);
    }

    @Test
    void encryptingTheSamePlaintextTwiceUsesTwoNoncesAndBothDecrypt() {
        byte[] plaintext = "sk-live-same".getBytes();

        String first = encrypt(tenant, "provider-key", plaintext);
        String second = encrypt(tenant, "provider-key", plaintext);

        Ciphertext one = Ciphertext.parse(first);
        Ciphertext two = Ciphertext.parse(second);
        assertThat(one.version()).isEqualTo(two.version());
        assertThat(EnvelopeTest.nonce(one)).isNotEqualTo(EnvelopeTest.nonce(two));
        assertThat(first).isNotEqualTo(second);
        assertThat(decrypt(tenant, "provider-key", first)).isEqualTo(plaintext);
        assertThat(decrypt(tenant, "provider-key", second)).isEqualTo(plaintext);
    }

    @Test
    void flippingAnySingleByteOfACiphertextFailsTheSameWay() {
        String ciphertext = encrypt(tenant, "p", "twelve bytes".getBytes());
        String prefix = ciphertext.substring(0, ciphertext.lastIndexOf(':') + 1);
        byte[] sealed = Base64.getUrlDecoder().decode(ciphertext.substring(prefix.length()));

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            failsToDecrypt(tenant, "p", prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered));
        }
    }

    @Test
    void truncatedOrMalformedCiphertextsFail() {
        String ciphertext = encrypt(tenant, "p", "data".getBytes());

        failsToDecrypt(tenant, "p", ciphertext.substring(0, ciphertext.length() - 4));
        failsToDecrypt(tenant, "p", ciphertext.substring(0, ciphertext.lastIndexOf(':') + 4));
        failsToDecrypt(tenant, "p", "cs:v1:");
        failsToDecrypt(tenant, "p", "not a ciphertext");
        failsToDecrypt(tenant, "p", ciphertext.replaceFirst("cs:v[0-9]+", "cs:v999"));
    }

    @Test
    void anotherTenantOrPurposeCannotDecrypt() {
        String ciphertext = encrypt(tenant, "provider-key", "sk-live-123".getBytes());

        failsToDecrypt(TenantId.random(), "provider-key", ciphertext);
        failsToDecrypt(tenant, "webhook-secret", ciphertext);
    }

    @Test
    void badInputIs400ProblemJson() {
        Api.as(tenant).body(Map.of("purpose", "Not Allowed!", "plaintext", "AA=="))
                .post("/api/v1/crypto/encrypt").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.as(tenant).body(Map.of("purpose", "p", "plaintext", "***"))
                .post("/api/v1/crypto/encrypt").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.as(tenant).body(Map.of("purpose", "p"))
                .post("/api/v1/crypto/encrypt").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        Api.as(tenant).body(Map.of("purpose", "p", "items", new ArrayList<>(java.util.Collections.nCopies(1001, "AA=="))))
                .post("/api/v1/crypto/encrypt").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    static String encrypt(TenantId tenant, String purpose, byte[] plaintext) {
        return Api.as(tenant).body(Map.of("purpose", purpose, "plaintext",
                Base64.getEncoder().encodeToString(plaintext)))
                .post("/api/v1/crypto/encrypt").then().statusCode(200).extract().path("ciphertext");
    }

    static byte[] decrypt(TenantId tenant, String purpose, String ciphertext) {
        String plaintext = Api.as(tenant).body(Map.of("purpose", purpose, "ciphertext", ciphertext))
                .post("/api/v1/crypto/decrypt").then().statusCode(200).extract().path("plaintext");
        return Base64.getDecoder().decode(plaintext);
    }

    static ValidatableResponse failsToDecrypt(TenantId tenant, String purpose, String ciphertext) {
        return Api.as(tenant).body(Map.of("purpose", purpose, "ciphertext", ciphertext))
                .post("/api/v1/crypto/decrypt").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/decryption-failed"))
                .body("detail", equalTo("the ciphertext cannot be decrypted for this tenant and purpose"));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
