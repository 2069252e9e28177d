package io.cloudsentinel.local;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local stack's dev identity provider: an RSA key pair kept under .local/jwt/ (the gateway trusts the public
 * half; its prod profile is given the location) and RS256 tokens minted with the private half. The pair is made with
 * the public exponent {@link #DEV_EXPONENT}, which no identity provider uses (they all use 65537): a copy of the public
 * half is recognisable however it is named or encoded, and the gateway refuses it outside dev, tests and the local
 * stack ({@code DevKeyPolicy}). Hand-written with the JDK because the launcher must not pull a JWT library for ten
 * lines of JSON and one signature. Never for production: anyone with this checkout's .local/ can mint tokens.
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
    private final BigInteger exponent;

    DevTokens(Path local) {
        this(local.resolve("jwt"), DEV_EXPONENT);
    }

    private DevTokens(Path directory, BigInteger exponent) {
        this.directory = directory;
        this.exponent = exponent;
    }

    /**
     * For a stack in the plain prod profile (benchmarks): a pair of the exponent every identity provider uses
     * (65537), under {@code <state>/idp/}, which the gateway trusts as it would a real provider's key.
     */
    static DevTokens identityProvider(Path local) {
        return new DevTokens(local.resolve("idp"), RSAKeyGenParameterSpec.F4);
    }

    Path publicKey() {
        return directory.resolve("dev-public.pem");
    }

    /** The public exponent that marks the launcher's dev keys (a prime, so a valid RSA exponent). */
    static final BigInteger DEV_EXPONENT = BigInteger.valueOf(65539);

    /**
     * Creates the key pair once; later runs reuse it, so tokens minted earlier stay valid until they expire. A pair
     * of an earlier launcher, without the dev exponent, is replaced.
     */
    void ensureKeys() throws IOException, GeneralSecurityException {
        Path privateKey = directory.resolve("dev-private.pk8");
        if (Files.exists(privateKey) && Files.exists(publicKey()) && exponent(Files.readString(publicKey()))
                .equals(exponent)) {
            return;
        }
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(2048, exponent));
        KeyPair pair = generator.generateKeyPair();
        Files.write(privateKey, pair.getPrivate().getEncoded());
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(publicKey(), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    static boolean hasDevExponent(String pem) throws GeneralSecurityException {
        return exponent(pem).equals(DEV_EXPONENT);
    }

    private static BigInteger exponent(String pem) throws GeneralSecurityException {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
        return ((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)))
                .getPublicExponent();
    }

    String mint(String tenant, String subject, List<String> roles, Duration lifetime)
            throws IOException, GeneralSecurityException {
        ensureKeys();
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Files.readAllBytes(directory.resolve("dev-private.pk8"))));
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
