package io.cloudsentinel.platform.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.testing.ContextTestKeys;

/** The signature every service checks: its wire format, and what it is bound to. */
class ContextSignatureTest {

    private static final ContextKeys.SigningKey GATEWAY = ContextKeys.signingKey(ContextTestKeys.GATEWAY_PRIVATE,
            "test");
    private static final Ed25519PublicKeyParameters GATEWAY_PUBLIC = ContextKeys.publicKeys(
            List.of(ContextTestKeys.GATEWAY_PUBLIC), "test").get("test-gateway");
    private static final TenantContext ALICE = new TenantContext(TenantId.random(), "alice",
            Set.of("tenant-user", "tenant-admin"));
    private static final SignedRequest REQUEST = SignedRequest.withBody("job-service", "post", "/api/v1/jobs?x=1",
            "{\"type\":\"noop\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void theSignatureIsEd25519OverTheDocumentedTextAsAnyImplementationChecksIt() throws Exception {
        String signed = ContextSignature.sign(GATEWAY.key(), "test-gateway", REQUEST, ALICE, 1_800_000_000L);
        String canonical = String.join("\n", "cs-context-v2", "test-gateway", "job-service", "POST",
                "/api/v1/jobs?x=1", ContentDigest.of("{\"type\":\"noop\"}".getBytes(StandardCharsets.UTF_8)),
                ALICE.tenant().toString(), "alice", "tenant-admin,tenant-user", "1800000000");

        // the JDK's own Ed25519, with the public key as configuration writes it
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                .decode(ContextTestKeys.GATEWAY_PUBLIC.substring("test-gateway:".length()))));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
        assertThat(signed).startsWith("v2=");
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(signed.substring(3)))).isTrue();
    }

    @Test
    void theSignatureBindsEveryFieldOfTheRequestAndTheContext() {
        String signed = ContextSignature.sign(GATEWAY.key(), "test-gateway", REQUEST, ALICE, 1_800_000_000L);
        assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "test-gateway", REQUEST, ALICE, 1_800_000_000L, signed))
                .isTrue();

        List<SignedRequest> others = List.of(
                new SignedRequest("budget-service", "POST", "/api/v1/jobs?x=1", REQUEST.contentDigest()),
                new SignedRequest("job-service", "PUT", "/api/v1/jobs?x=1", REQUEST.contentDigest()),
                new SignedRequest("job-service", "POST", "/api/v1/jobs/settings", REQUEST.contentDigest()),
                new SignedRequest("job-service", "POST", "/api/v1/jobs?x=2", REQUEST.contentDigest()),
                SignedRequest.withBody("job-service", "POST", "/api/v1/jobs?x=1", "{}".getBytes(StandardCharsets.UTF_8)),
                SignedRequest.of("job-service", "POST", "/api/v1/jobs?x=1"));
        for (SignedRequest other : others) {
            assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "test-gateway", other, ALICE, 1_800_000_000L, signed))
                    .as(other.toString()).isFalse();
        }
        assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "test-gateway", REQUEST, ALICE, 1_800_000_001L, signed))
                .isFalse();
        assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "other-id", REQUEST, ALICE, 1_800_000_000L, signed))
                .isFalse();
        assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "test-gateway", REQUEST,
                new TenantContext(ALICE.tenant(), "alice", Set.of("tenant-user")), 1_800_000_000L, signed)).isFalse();
    }

    @Test
    void aKeyPairGeneratedForConfigurationSignsAndVerifies() {
        ContextKeys.Generated generated = ContextKeys.generate("gw-2026-12");
        ContextKeys.SigningKey key = ContextKeys.signingKey(generated.signingKey(), "test");
        String signed = ContextSignature.sign(key.key(), key.keyId(), REQUEST, ALICE, 1_800_000_000L);

        assertThat(ContextSignature.matches(ContextKeys.publicKeys(List.of(generated.publicKey()), "test")
                .get("gw-2026-12"), "gw-2026-12", REQUEST, ALICE, 1_800_000_000L, signed)).isTrue();
        assertThat(ContextSignature.matches(GATEWAY_PUBLIC, "gw-2026-12", REQUEST, ALICE, 1_800_000_000L, signed))
                .isFalse();
    }
}
