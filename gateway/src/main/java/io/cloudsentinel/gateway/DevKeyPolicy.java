package io.cloudsentinel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.cloudsentinel.platform.context.StrictLaunch;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Outside dev mode and tests ({@link StrictLaunch}, whatever the profiles are called) the gateway refuses the local
 * stack's dev key pair: anyone with that checkout can mint tokens for any tenant. The launcher makes it with the public
 * exponent 65539, which no identity provider uses (they all use 65537), so it is recognised by the key itself, in a PEM
 * file wherever it is copied and however it is named, or given inline. The local launcher runs the services with
 * profiles {@code prod,local}, which says exactly that this is the developer stack; a real deployment has no reason to
 * name the {@code local} profile.
 */
@ApplicationScoped
public class DevKeyPolicy {

    /** The public exponent of the launcher's dev keys (deploy/local's DevTokens.DEV_EXPONENT). */
    static final BigInteger DEV_EXPONENT = BigInteger.valueOf(65539);

    private static final Pattern PEM_PUBLIC_KEY = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    void check(@Observes StartupEvent startup,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inline) {
        Optional<String> key = inline.or(() -> location.flatMap(DevKeyPolicy::read));
        problem(key, location.orElse("mp.jwt.verify.publickey"), StrictLaunch.isStrict(), ConfigUtils.getProfiles())
                .ifPresent(problem -> {
                    throw new IllegalStateException("refusing to start: " + problem);
                });
    }

    /**
     * @param key the configured public key (PEM, or bare base64 of its X.509 encoding), when it could be read
     * @param where its location, for the message
     */
    static Optional<String> problem(Optional<String> key, String where, boolean strict, Collection<String> profiles) {
        if (!strict || profiles.contains("local")) {
            return Optional.empty();
        }
        return key.filter(DevKeyPolicy::isDevKey).map(devKey -> "the JWT public key (" + where
                + ", CS_JWT_PUBLIC_KEY_LOCATION) is the local stack's dev key; anyone with that checkout can mint tokens"
                + " with it. Point it at your identity provider's public key or JWKS.");
    }

    static boolean isDevKey(String key) {
        Matcher pem = PEM_PUBLIC_KEY.matcher(key);
        String base64 = (pem.find() ? pem.group(1) : key).replaceAll("\\s", "");
        try {
            PublicKey parsed = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64
                    .getDecoder().decode(base64)));
            return parsed instanceof RSAPublicKey rsa && rsa.getPublicExponent().equals(DEV_EXPONENT);
        } catch (IllegalArgumentException | InvalidKeySpecException notAnRsaKey) {
            return false; // a JWKS, an EC key or another format: not the launcher's dev key
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    /** The text at a file or classpath location; empty for a URL (a JWKS endpoint is not the dev key file). */
    private static Optional<String> read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                try (InputStream in = DevKeyPolicy.class.getResourceAsStream("/" + location.substring(10)
                        .replaceFirst("^/", ""))) {
                    return in == null ? Optional.empty()
                            : Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                }
            }
            if (location.contains("://") && !location.startsWith("file:")) {
                return Optional.empty();
            }
            Path file = Path.of(location.startsWith("file:") ? location.substring(5) : location);
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // SmallRye JWT reports an unreadable key itself
        }
    }
}
