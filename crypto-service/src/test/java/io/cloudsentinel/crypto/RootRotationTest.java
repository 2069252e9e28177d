package io.cloudsentinel.crypto;

import static io.cloudsentinel.crypto.TestMasterKeys.CURRENT;
import static io.cloudsentinel.crypto.TestMasterKeys.CURRENT_SALT;
import static io.cloudsentinel.crypto.TestMasterKeys.ITERATIONS;
import static io.cloudsentinel.crypto.TestMasterKeys.PREVIOUS;
import static io.cloudsentinel.crypto.TestMasterKeys.PREVIOUS_SALT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.crypto.service.OtherReplica;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A previous master key keeps the data keys wrapped under it readable; rotate-root moves every data key under the
 * current one, after which the previous key is not needed; a data key under a master key that is not configured
 * refuses the start. The service here has ENCRYPTION_KEY_PREVIOUS; "old replicas" (the other way round: the previous
 * key current) add versions wrapped under it. A database of its own, as the other classes must not meet those.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "cloudsentinel_crypto_root"))
@TestProfile(RootRotationTest.WithPreviousMasterKey.class)
class RootRotationTest {

    public static class WithPreviousMasterKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // batches of 2: concurrent runs meet on many batches
            return Map.of("cs.crypto.encryption-key-previous", PREVIOUS, "cs.crypto.kdf-salt-previous", PREVIOUS_SALT,
                    "cs.crypto.root-rotation-batch", "2");
        }
    }

    private final TenantId tenant = TenantId.random();
    private final TenantId operators = TenantId.random();

    @Test
    void aDataKeyWrappedUnderThePreviousMasterKeyOpensWithIt() {
        OtherReplica old = oldReplica();
        int version = old.rotate();
        String ciphertext = old.encrypt(tenant, "p", "under the previous key".getBytes());

        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", ciphertext)).isEqualTo("under the previous key".getBytes());
        assertThat(masterKeyIdOf(version)).isEqualTo(old.masterKeyId()).isNotEqualTo(currentMasterKeyId());
    }

    @Test
    void aVersionUnderAMasterKeyThatIsNotConfiguredRefusesTheStartNamingIt() {
        OtherReplica old = oldReplica();
        int version = old.rotate();

        assertThatThrownBy(() -> OtherReplica.start(CURRENT, CURRENT_SALT, null, null, ITERATIONS))
                .isInstanceOf(IllegalStateException.class).message()
                .startsWith("refusing to start: key versions [")
                .containsPattern("key versions \\[([0-9]+, )*" + version + "(, [0-9]+)*\\]")
                .contains("wrapped under master key " + old.masterKeyId() + ", which is not configured")
                .contains("ENCRYPTION_KEY_PREVIOUS").contains("rotate-root")
                .doesNotContain(PREVIOUS).doesNotContain(PREVIOUS_SALT).doesNotContain(CURRENT);
    }

    @Test
    void rotateRootMovesEveryDataKeyUnderTheCurrentMasterKeySoThePreviousIsNoLongerNeeded() {
        OtherReplica old = oldReplica();
        old.rotate();
        old.rotate();
        String ciphertext = old.encrypt(tenant, "p", "still readable".getBytes());
        Map<Integer, byte[]> before = dataKeys();
        long stale = stale();

        JsonPath outcome = rotateRoot("operator-7");

        assertThat(stale).isGreaterThanOrEqualTo(2);
        assertThat(outcome.getInt("rewrapped")).isEqualTo((int) stale);
        assertThat(outcome.getInt("remaining")).isZero();
        assertThat(outcome.getString("masterKeyId")).isEqualTo(currentMasterKeyId());
        assertThat(versions()).allSatisfy(v -> assertThat(v).containsEntry("masterKeyId", currentMasterKeyId())
                .containsEntry("kdfIterations", ITERATIONS));
        OtherReplica withoutPrevious = OtherReplica.start(CURRENT, CURRENT_SALT, null, null, ITERATIONS);
        before.forEach((version, key) -> assertThat(withoutPrevious.dataKey(version)).as("version %d", version)
                .isEqualTo(key));
        assertThat(withoutPrevious.decrypt(tenant, "p", ciphertext)).isEqualTo("still readable".getBytes());
    }

    @Test
    void aSecondRunFindsNothingToDo() {
        oldReplica().rotate();
        rotateRoot("operator-1");

        JsonPath again = rotateRoot("operator-1");

        assertThat(again.getInt("rewrapped")).isZero();
        assertThat(again.getInt("remaining")).isZero();
    }

    @Test
    void twoConcurrentRunsRewrapEveryDataKeyExactlyOnce() throws Exception {
        OtherReplica old = oldReplica();
        for (int i = 0; i < 30; i++) {
            old.rotate();
        }
        Map<Integer, byte[]> before = dataKeys();
        long stale = stale();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Integer> rewrapped = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonPath>> runs = new ArrayList<>();
            for (String operator : List.of("operator-a", "operator-b")) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return rotateRoot(operator);
                }));
            }
            go.countDown();
            for (Future<JsonPath> run : runs) {
                rewrapped.add(run.get(60, TimeUnit.SECONDS).getInt("rewrapped"));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stale).isGreaterThanOrEqualTo(30);
        assertThat(rewrapped.get(0) + rewrapped.get(1)).isEqualTo((int) stale);
        assertThat(stale()).isZero();
        // each data key opens under the current master key alone and is the key it was: rewrapped, not wrapped twice
        OtherReplica withoutPrevious = OtherReplica.start(CURRENT, CURRENT_SALT, null, null, ITERATIONS);
        before.forEach((version, key) -> assertThat(withoutPrevious.dataKey(version)).as("version %d", version)
                .isEqualTo(key));
    }

    @Test
    void onlyAPlatformAdminRotatesTheRoot() {
        int version = oldReplica().rotate();

        Api.as(tenant, Roles.TENANT_ADMIN).post("/api/v1/crypto/keys/rotate-root").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo("https://cloudsentinel.dev/problems/forbidden"));
        Api.as(tenant, Roles.TENANT_USER).post("/api/v1/crypto/keys/rotate-root").then().statusCode(403);
        Api.asService(tenant).post("/api/v1/crypto/keys/rotate-root").then().statusCode(403);

        assertThat(masterKeyIdOf(version)).isNotEqualTo(currentMasterKeyId());
    }

    @Test
    void aRunIsLoggedWithItsOperatorAndNeitherLogNorAnswerHoldsAKey() {
        oldReplica().rotate();
        String answer;
        List<String> lines;
        try (CapturedLog log = CapturedLog.start()) {
            answer = Api.asUser(operators, "operator-42", Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate-root")
                    .then().statusCode(200).extract().asString();
            lines = log.lines();
        }

        assertThat(lines).filteredOn(line -> line.startsWith("INFO") && line.contains("RootRotation"))
                .anySatisfy(line -> assertThat(line).contains("user operator-42 of tenant " + operators)
                        .containsPattern("[1-9][0-9]* data keys rewrapped under master key " + currentMasterKeyId()));
        for (String text : List.of(answer, String.join("\n", lines))) {
            assertThat(text).doesNotContain(CURRENT).doesNotContain(CURRENT_SALT).doesNotContain(PREVIOUS)
                    .doesNotContain(PREVIOUS_SALT);
        }
    }

    @Test
    void aVersionThatRecordsNoMasterKeyOpensUnderWhicheverConfiguredOneWrappedIt() {
        for (String[] master : List.of(new String[] { CURRENT, CURRENT_SALT }, new String[] { PREVIOUS,
                PREVIOUS_SALT })) {
            byte[] dataKey = randomKey();
            int version = insertAsTheReleaseBeforeMasterKeyIds(master[0], master[1], dataKey);
            String ciphertext = Envelope.seal(new SecretKeySpec(dataKey, "AES"), version, tenant, "p",
                    "stored before ids".getBytes()).toString();

            assertThat(CryptoRoundTripTest.decrypt(tenant, "p", ciphertext)).isEqualTo("stored before ids".getBytes());
            assertThat(masterKeyIdOf(version)).isEqualTo("null");
        }
    }

    @Test
    void rotateRootRecordsTheMasterKeyOfAVersionThatRecordsNone() {
        byte[] dataKey = randomKey();
        int version = insertAsTheReleaseBeforeMasterKeyIds(CURRENT, CURRENT_SALT, dataKey);

        rotateRoot("operator-3");

        assertThat(masterKeyIdOf(version)).isEqualTo(currentMasterKeyId());
        assertThat(OtherReplica.start(CURRENT, CURRENT_SALT, null, null, ITERATIONS).dataKey(version))
                .isEqualTo(dataKey);
    }

    /** A version as the release before V2 stored it: wrapped under that master key, no master_key_id. */
    private int insertAsTheReleaseBeforeMasterKeyIds(String key, String salt, byte[] dataKey) {
        int version = versions().stream().mapToInt(v -> (Integer) v.get("version")).max().orElse(0) + 1;
        byte[] wrapped = Envelope.sealWithKek(MasterKey.of(key, Base64.getDecoder().decode(salt)).kek(ITERATIONS),
                version, dataKey);
        Arc.container().instance(TenantTransactions.class).get()
                .asSystem(new SystemTask("test-release-before-ids"), connection -> connection.preparedQuery(
                        "INSERT INTO key_versions (version, wrapped_key, kdf_iterations) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(version, Buffer.buffer(wrapped), ITERATIONS)))
                .await().atMost(Duration.ofSeconds(10));
        return version;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Adds versions as a replica whose current master key is this service's previous one. */
    private static OtherReplica oldReplica() {
        return OtherReplica.start(PREVIOUS, PREVIOUS_SALT, CURRENT, CURRENT_SALT, ITERATIONS);
    }

    private JsonPath rotateRoot(String operator) {
        return Api.asUser(operators, operator, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate-root").then()
                .statusCode(200).extract().jsonPath();
    }

    private JsonPath keys() {
        return Api.as(operators, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().statusCode(200).extract()
                .jsonPath();
    }

    private List<Map<String, Object>> versions() {
        return keys().getList("versions");
    }

    private String currentMasterKeyId() {
        return keys().getString("masterKeyId");
    }

    private String masterKeyIdOf(int version) {
        return versions().stream().filter(v -> v.get("version").equals(version)).findFirst().orElseThrow()
                .get("masterKeyId") + "";
    }

    /** Versions not under the current master key and iteration count. */
    private long stale() {
        String current = currentMasterKeyId();
        return versions().stream().filter(v -> !current.equals(v.get("masterKeyId"))
                || !v.get("kdfIterations").equals(ITERATIONS)).count();
    }

    /** Every version's data key, opened by a replica that has both master keys. */
    private Map<Integer, byte[]> dataKeys() {
        OtherReplica both = OtherReplica.start(CURRENT, CURRENT_SALT, PREVIOUS, PREVIOUS_SALT, ITERATIONS);
        Map<Integer, byte[]> keys = new HashMap<>();
        for (Map<String, Object> version : versions()) {
            int number = (Integer) version.get("version");
            keys.put(number, both.dataKey(number));
        }
        return keys;
    }
}
