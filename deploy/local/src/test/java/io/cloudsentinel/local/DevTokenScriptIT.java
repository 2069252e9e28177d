package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

// An IT (failsafe, after package): only the real script on the real jar proves that the arguments get through.
class DevTokenScriptIT {

    /** Not the demo tenant, and roles and lifetime unlike the defaults, so a token minted with defaults fails. */
    private static final String TENANT = "3f0c2a9e-5b7d-4e1a-9c8b-2d6f4a1e7b30";

    @Test
    void theTokenNamesTheTenantRolesAndLifetimeItWasAskedFor(@TempDir Path dir) throws Exception {
        try (ScratchCheckout checkout = ScratchCheckout.in(dir)) {
            long before = Instant.now().getEpochSecond();
            ScratchCheckout.Result result = checkout.run("token", TENANT, "tenant-user,platform-admin", "7");
            long after = Instant.now().getEpochSecond();

            assertThat(result.exit()).as(result.err()).isZero();
            String[] token = result.out().strip().split("\\.");
            assertThat(token).hasSize(3);
            JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token[1]));
            assertThat(payload.path("tenant_id").asText()).isEqualTo(TENANT);
            assertThat(payload.path("iss").asText()).as("platform-admin is an operator's")
                    .isEqualTo("https://operators.cloudsentinel.dev");
            List<String> groups = new ArrayList<>();
            payload.path("groups").forEach(group -> groups.add(group.asText()));
            assertThat(groups).containsExactly("tenant-user", "platform-admin");
            long issuedAt = payload.path("iat").asLong();
            assertThat(issuedAt).isBetween(before, after);
            assertThat(payload.path("exp").asLong()).isEqualTo(issuedAt + 7 * 60);
            assertThat(verifies(token, checkout.local.resolve("jwt/dev-public.pem"))).as("RS256 signature").isTrue();
        }
    }

    @Test
    void badArgumentsAreRefusedWithAReasonAndUsageStatus(@TempDir Path dir) throws Exception {
        try (ScratchCheckout checkout = ScratchCheckout.in(dir)) {
            ScratchCheckout.Result tenant = checkout.run("token", "acme", "tenant-user", "7");
            ScratchCheckout.Result roles = checkout.run("token", TENANT, "tenant-user,\"admin\"", "7");
            ScratchCheckout.Result minutes = checkout.run("token", TENANT, "tenant-user", "0");

            assertThat(List.of(tenant, roles, minutes)).allSatisfy(result -> {
                assertThat(result.exit()).as(result.err()).isEqualTo(2);
                assertThat(result.out()).isEmpty();
                assertThat(result.err()).contains(TokenRequest.USAGE);
            });
            assertThat(tenant.err()).contains("the tenant must be a UUID", "'acme'");
            assertThat(roles.err()).contains("the roles must be a comma-separated list");
            assertThat(minutes.err()).contains("the lifetime must be a whole number of minutes from 1 to 10080");
        }
    }

    private static boolean verifies(String[] token, Path publicKeyPem) throws Exception {
        String base64 = Files.readString(publicKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(key);
        signature.update((token[0] + "." + token[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(token[2]));
    }
}
