package io.cloudsentinel.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local stack's dev identity provider: the published dev RSA key pair (a resource of this module, copied to
 * .local/jwt/ for the gateway, which is given the public half's location) and RS256 tokens minted with the private
 * half. Published on purpose, like the dev context keys: anyone can mint tokens for a stack that trusts it, so the
 * gateway refuses it outside dev, tests and the local stack, recognising it by its SHA-256 fingerprint wherever it
 * is copied and however it is named ({@code DevKeyPolicy}). Hand-written with the JDK because the launcher must not
 * pull a JWT library for ten lines of JSON and one signature.
 */
final class DevTokens {

    static final String ISSUER = "https://auth.cloudsentinel.dev";
    /**
     * The local stack's operators' issuer: the gateway forwards {@code platform-admin} only from it, so a token asked
     * for with that role is minted as an operator's (the same dev key signs both).
     */
    static final String OPERATOR_ISSUER = "https://operators.cloudsentinel.dev";
    static final String AUDIENCE = "cloudsentinel-api";
    static final String DEMO_TENANT = "00000000-0000-4000-8000-00000000d3e0";

    private final Path directory;

    DevTokens(Path local) {
        this.directory = local.resolve("jwt");
    }

    Path publicKey() {
        return directory.resolve("dev-public.pem");
    }

    /** Puts the published dev key pair where the gateway and {@link #mint} read it (replacing an older one). */
    void ensureKeys() throws IOException {
        Files.createDirectories(directory);
        byte[] publicKey = resource("dev-public.pem");
        if (!Files.exists(publicKey()) || !Arrays.equals(Files.readAllBytes(publicKey()), publicKey)) {
            Files.write(publicKey(), publicKey);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DevTokens.class.getResourceAsStream("/dev-jwt/" + name)) {
            if (in == null) {
                throw new IOException("the launcher jar lacks /dev-jwt/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static PrivateKey privateKey() throws IOException, GeneralSecurityException {
        String pem = new String(resource("dev-private.pem"), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    String mint(String tenant, String subject, List<String> roles, Duration lifetime)
            throws IOException, GeneralSecurityException {
        ensureKeys();
        PrivateKey key = privateKey();
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"tenant_id\":\"%s\","
                + "\"groups\":[%s],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
                roles.contains("platform-admin") ? OPERATOR_ISSUER : ISSUER, AUDIENCE, subject, tenant,
                roles.stream().map(role -> "\"" + role + "\"").collect(Collectors.joining(",")), now,
                now + lifetime.toSeconds(), UUID.randomUUID());
        String signingInput = encode(header) + "." + encode(payload);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
