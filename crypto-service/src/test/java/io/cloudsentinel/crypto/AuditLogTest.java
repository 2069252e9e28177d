package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.CapturedLog;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every operation is audited with tenant, purpose, key version and outcome; no log holds plaintext or keys. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AuditLogTest {

    private static final String CANARY = "PLAINTEXT-CANARY-7f3a91";
    private CapturedLog log;

    @BeforeEach
    void listen() {
        log = CapturedLog.start();
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void operationsAreAuditedAndNoLogHoldsPlaintextOrKeys() {
        TenantId tenant = TenantId.random();
        String ciphertext = CryptoRoundTripTest.encrypt(tenant, "audit", CANARY.getBytes());
        CryptoRoundTripTest.decrypt(tenant, "audit", ciphertext);
        CryptoRoundTripTest.failsToDecrypt(TenantId.random(), "audit", ciphertext);
        Api.as(tenant).body(Map.of("purpose", "audit", "ciphertext", ciphertext)).post("/api/v1/crypto/rewrap")
                .then().statusCode(200);

        List<String> lines = log.lines();
        assertThat(lines).filteredOn(line -> line.contains("crypto.audit"))
                .anySatisfy(line -> assertThat(line).contains("op=encrypt").contains("tenant=" + tenant)
                        .contains("purpose=audit").containsPattern("keyVersion=[1-9]").contains("outcome=ok"))
                .anySatisfy(line -> assertThat(line).contains("op=decrypt").contains("outcome=refused"))
                .anySatisfy(line -> assertThat(line).contains("op=rewrap").contains("outcome=ok"));
        String secrets = String.join("\n", lines);
        assertThat(secrets).doesNotContain(CANARY)
                .doesNotContain(Base64.getEncoder().encodeToString(CANARY.getBytes()))
                .doesNotContain("test-only-encryption-key-0123456789abcdef")
                .doesNotContain("dGVzdC1vbmx5LWtkZi1zYWx0LTAxMjM0NTY3ODlhYmM=");
    }
}
