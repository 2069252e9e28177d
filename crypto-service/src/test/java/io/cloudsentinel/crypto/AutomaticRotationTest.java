package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A version is rotated before it exceeds its encryption budget, and when it grows older than the period. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@TestProfile(AutomaticRotationTest.SmallBudgets.class)
class AutomaticRotationTest {

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cs.crypto.max-encryptions-per-version", "25", "cs.crypto.reservation-block", "10",
                    "cs.crypto.rotation-period", "3s", "cs.crypto.rotation-check", "1s");
        }
    }

    private final TenantId tenant = TenantId.random();

    @Test
    void noVersionEncryptsMoreThanItsBudget() {
        List<String> ciphertexts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ciphertexts.add(CryptoRoundTripTest.encrypt(tenant, "budget", ("item " + i).getBytes()));
        }

        Map<String, Long> perVersion = ciphertexts.stream()
                .collect(Collectors.groupingBy(c -> c.substring(0, c.indexOf(':', 3)), Collectors.counting()));
        assertThat(perVersion).hasSizeGreaterThanOrEqualTo(3);
        assertThat(perVersion.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(25));
        for (String ciphertext : ciphertexts) {
            assertThat(CryptoRoundTripTest.decrypt(tenant, "budget", ciphertext)).isNotNull();
        }
    }

    @Test
    void anOldVersionIsRotated() throws InterruptedException {
        int before = Api.as(tenant, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().extract().path("currentVersion");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int now = before;
        while (now == before && System.nanoTime() < deadline) {
            Thread.sleep(500);
            now = Api.as(tenant, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().extract().path("currentVersion");
        }
        assertThat(now).isGreaterThan(before);
    }
}
