package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Rotation, the minimum decryption version, and rewrap. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class KeyRotationTest {

    private final TenantId tenant = TenantId.random();
    private final TenantId admin = TenantId.random();

    @AfterEach
    void allowEveryVersionAgain() {
        Api.as(admin, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", 1, "breakGlass", true))
                .put("/api/v1/crypto/keys/policy").then().statusCode(200);
    }

    @Test
    void afterARotationNewEncryptionsUseTheNewVersionAndOldOnesStillDecrypt() {
        String before = CryptoRoundTripTest.encrypt(tenant, "p", "old".getBytes());
        int oldVersion = version(before);

        int rotated = Api.as(admin, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200)
                .extract().path("currentVersion");
        String after = CryptoRoundTripTest.encrypt(tenant, "p", "new".getBytes());

        assertThat(rotated).isEqualTo(oldVersion + 1);
        assertThat(version(after)).isEqualTo(rotated);
        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", before)).isEqualTo("old".getBytes());
    }

    @Test
    void aRetiredVersionIsRefusedWithItsOwnProblemAndRewrapLiftsIt() {
        String old = CryptoRoundTripTest.encrypt(tenant, "p", "lift me".getBytes());
        int newest = Api.as(admin, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200)
                .extract().path("currentVersion");

        String rewrapped = Api.as(tenant).body(Map.of("purpose", "p", "ciphertext", old))
                .post("/api/v1/crypto/rewrap").then().statusCode(200).extract().path("ciphertext");
        Api.as(admin, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", newest))
                .put("/api/v1/crypto/keys/policy").then().statusCode(200).body("minDecryptionVersion", equalTo(newest));

        assertThat(version(rewrapped)).isEqualTo(newest);
        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", rewrapped)).isEqualTo("lift me".getBytes());
        Api.as(tenant).body(Map.of("purpose", "p", "ciphertext", old)).post("/api/v1/crypto/decrypt")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://cloudsentinel.dev/problems/key-version-retired"));
    }

    @Test
    void aBatchRewrapLiftsEveryItemToTheNewestVersion() {
        String one = CryptoRoundTripTest.encrypt(tenant, "p", "one".getBytes());
        String two = CryptoRoundTripTest.encrypt(tenant, "p", "two".getBytes());
        int newest = Api.as(admin, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200)
                .extract().path("currentVersion");

        java.util.List<String> rewrapped = Api.as(tenant).body(Map.of("purpose", "p", "items", java.util.List.of(one,
                two))).post("/api/v1/crypto/rewrap").then().statusCode(200).body("keyVersion", equalTo(newest))
                .extract().jsonPath().getList("ciphertexts");

        assertThat(rewrapped).allSatisfy(c -> assertThat(version(c)).isEqualTo(newest));
        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", rewrapped.get(1))).isEqualTo("two".getBytes());
    }

    @Test
    void onlyPlatformAdminsRotateOrSetThePolicyAndKeysShowNoKeyMaterial() {
        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(403);
        Api.as(tenant, Roles.TENANT_ADMIN).body(Map.of("minDecryptionVersion", 1)).put("/api/v1/crypto/keys/policy")
                .then().statusCode(403);
        Api.as(admin, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", 9999)).put("/api/v1/crypto/keys/policy")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);

        String keys = Api.as(admin, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().statusCode(200)
                .body("versions[0].kdfIterations", equalTo(600000)).extract().asString();
        assertThat(keys).doesNotContainIgnoringCase("wrapped").doesNotContainIgnoringCase("material");
    }

    @Test
    void onlyPlatformAdminsSeeTheKeysAndTheirUseAcrossTenants() {
        for (String role : new String[] { Roles.TENANT_USER, Roles.TENANT_ADMIN }) {
            Api.as(tenant, role).get("/api/v1/crypto/keys").then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("https://cloudsentinel.dev/problems/forbidden"));
        }

        Api.as(admin, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().statusCode(200)
                .body("versions[0].version", equalTo(1));
    }

    private static int version(String ciphertext) {
        return Integer.parseInt(ciphertext.substring(4, ciphertext.indexOf(':', 4)));
    }
}
