package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.bootstrap.DatabaseBootstrap;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresServer;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The minimum decryption version only rises; lowering it takes an explicit break-glass and is logged. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class KeyPolicyTest {

    private static final String POLICY = "/api/v1/crypto/keys/policy";
    private static final String RAISE_ONLY = "https://cloudsentinel.dev/problems/min-decryption-version-raise-only";

    private final TenantId tenant = TenantId.random();
    private final TenantId operators = TenantId.random();
    private int newest;

    @BeforeEach
    void twoVersionsAndEveryOneDecrypts() {
        breakGlass(1);
        newest = Api.as(operators, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200)
                .extract().path("currentVersion");
    }

    @AfterEach
    void everyVersionDecryptsAgain() {
        breakGlass(1);
    }

    @Test
    void raisingTheMinimumIsAllowed() throws SQLException {
        Api.as(operators, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", newest)).put(POLICY).then()
                .statusCode(200).body("minDecryptionVersion", equalTo(newest));

        assertThat(storedMinimum()).isEqualTo(newest);
    }

    @Test
    void loweringTheMinimumIsRefusedAndChangesNothing() throws SQLException {
        Api.as(operators, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", newest)).put(POLICY).then()
                .statusCode(200);

        for (Map<String, Object> lower : List.<Map<String, Object>> of(Map.of("minDecryptionVersion", newest - 1),
                Map.of("minDecryptionVersion", newest - 1, "breakGlass", false))) {
            Api.as(operators, Roles.PLATFORM_ADMIN).body(lower).put(POLICY).then().statusCode(409)
                    .contentType(Problem.MEDIA_TYPE).body("type", equalTo(RAISE_ONLY))
                    .body("minDecryptionVersion", equalTo(newest)).body("requested", equalTo(newest - 1));
        }

        assertThat(storedMinimum()).isEqualTo(newest);
        Api.as(operators, Roles.PLATFORM_ADMIN).get("/api/v1/crypto/keys").then().statusCode(200)
                .body("minDecryptionVersion", equalTo(newest));
    }

    @Test
    void breakGlassLowersTheMinimumAndLogsTheCallerAtWarn() throws SQLException {
        String old = CryptoRoundTripTest.encrypt(tenant, "p", "retired, then back".getBytes());
        newest = Api.as(operators, Roles.PLATFORM_ADMIN).post("/api/v1/crypto/keys/rotate").then().statusCode(200)
                .extract().path("currentVersion");
        Api.as(operators, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", newest)).put(POLICY).then()
                .statusCode(200);

        try (CapturedLog log = CapturedLog.start()) {
            Api.asUser(operators, "oncall-ana", Roles.PLATFORM_ADMIN)
                    .body(Map.of("minDecryptionVersion", newest - 1, "breakGlass", true)).put(POLICY).then()
                    .statusCode(200).body("minDecryptionVersion", equalTo(newest - 1));

            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARN").contains("break-glass")
                    .contains("oncall-ana").contains(operators.toString()));
        }
        assertThat(storedMinimum()).isEqualTo(newest - 1);
        assertThat(CryptoRoundTripTest.decrypt(tenant, "p", old)).isEqualTo("retired, then back".getBytes());
    }

    /**
     * Another replica raises the minimum while this one is about to lower it: the lowering waits for the row and is
     * refused against what was committed, not against what it read before.
     */
    @Test
    void aLoweringThatRacesARaiseIsRefusedOnceTheRaiseCommits() throws Exception {
        try (Connection raise = owner()) {
            raise.setAutoCommit(false);
            raise.createStatement().executeUpdate("UPDATE key_policy SET min_decryption_version = " + newest);

            CompletableFuture<Integer> lowering = CompletableFuture.supplyAsync(() -> Api
                    .as(operators, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", newest - 1)).put(POLICY)
                    .then().extract().statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> waitsOn(raise));
            raise.commit();

            assertThat(lowering.get()).isEqualTo(409);
        }
        assertThat(storedMinimum()).isEqualTo(newest);
    }

    private void breakGlass(int version) {
        Api.as(operators, Roles.PLATFORM_ADMIN).body(Map.of("minDecryptionVersion", version, "breakGlass", true))
                .put(POLICY).then().statusCode(200);
    }

    private static int storedMinimum() throws SQLException {
        try (Connection owner = owner();
                ResultSet row = owner.createStatement().executeQuery(
                        "SELECT min_decryption_version FROM key_policy")) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Whether a session of the service waits for a lock this connection holds. */
    private static boolean waitsOn(Connection holder) throws SQLException {
        try (Connection observer = owner();
                ResultSet rows = observer.createStatement().executeQuery("SELECT count(*) FROM pg_locks l WHERE"
                        + " NOT l.granted AND " + pid(holder) + " = ANY (pg_blocking_pids(l.pid))")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static Connection owner() throws SQLException {
        String url = ConfigProvider.getConfig().getValue(PostgresTestResource.JDBC_URL_KEY, String.class);
        return DriverManager.getConnection(url, DatabaseBootstrap.OWNER_ROLE, PostgresServer.OWNER_PASSWORD);
    }
}
