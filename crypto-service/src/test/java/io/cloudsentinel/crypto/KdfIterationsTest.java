package io.cloudsentinel.crypto;

import static io.cloudsentinel.crypto.TestMasterKeys.CURRENT;
import static io.cloudsentinel.crypto.TestMasterKeys.CURRENT_SALT;
import static io.cloudsentinel.crypto.TestMasterKeys.ITERATIONS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.crypto.service.OtherReplica;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Raising cs.crypto.kdf-iterations: every version opens with the count it records, new data keys are wrapped with
 * the new count, and a replica still on the old setting reads them. The service runs with the default count; the
 * "raised" replica is this service restarted with a higher one. A database of its own.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "cloudsentinel_crypto_kdf"))
class KdfIterationsTest {

    private static final int RAISED = ITERATIONS + 50_000;

    private final TenantId tenant = TenantId.random();

    @Test
    void afterRaisingTheCountOldVersionsStillOpenAndNewOnesAreWrappedWithIt() {
        // the newest version wrapped by the service, at the old count
        Api.as(tenant, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200);
        String before = CryptoRoundTripTest.encrypt(tenant, "p", "wrapped at the old count".getBytes());
        int oldVersion = Ciphertext.parse(before).version();

        OtherReplica raised = OtherReplica.start(CURRENT, CURRENT_SALT, null, null, RAISED);
        int newVersion = raised.rotate();

        assertThat(raised.decrypt(tenant, "p", before)).isEqualTo("wrapped at the old count".getBytes());
        assertThat(iterationsOf(oldVersion)).isEqualTo(ITERATIONS);
        assertThat(iterationsOf(newVersion)).isEqualTo(RAISED);
    }

    @Test
    void aReplicaStillOnTheOldCountReadsVersionsWrappedWithTheNewOne() {
        OtherReplica raised = OtherReplica.start(CURRENT, CURRENT_SALT, null, null, RAISED);
        raised.rotate();
        String ciphertext = raised.encrypt(tenant, "p", "wrapped at the new count".getBytes());

        // the service itself still runs with the old count
        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", ciphertext)).isEqualTo("wrapped at the new count"
                .getBytes());
    }

    private int iterationsOf(int version) {
        List<Map<String, Object>> versions = Api.as(tenant, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then()
                .statusCode(200).extract().jsonPath().getList("versions");
        return (Integer) versions.stream().filter(v -> v.get("version").equals(version)).findFirst().orElseThrow()
                .get("kdfIterations");
    }
}
