package io.cloudsentinel.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * Ports, directories and the secrets of the local stack. Secrets are generated once and kept in
 * .local/secrets.properties (owner-only), so that data encrypted or signed in one run is still readable in the next:
 * stable dev values, never random per call.
 */
final class LocalSettings {

    final Path root;
    final Path local;
    final Path logs;
    final int postgresPort;
    final int kafkaPort;
    final int controllerPort;
    final Properties secrets;

    private LocalSettings(Path root, Properties secrets) {
        this.root = root;
        this.local = root.resolve(".local");
        this.logs = local.resolve("logs");
        this.postgresPort = intFromEnv("CS_LOCAL_POSTGRES_PORT", 5433);
        this.kafkaPort = intFromEnv("CS_LOCAL_KAFKA_PORT", 9092);
        this.controllerPort = intFromEnv("CS_LOCAL_KAFKA_CONTROLLER_PORT", 9093);
        this.secrets = secrets;
    }

    static LocalSettings load(Path root) throws IOException {
        Path local = root.resolve(".local");
        Files.createDirectories(local.resolve("logs"));
        Path file = local.resolve("secrets.properties");
        Properties secrets = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                secrets.load(in);
            }
        }
        boolean changed = false;
        changed |= generate(secrets, "owner-password", 24);
        changed |= generate(secrets, "app-password", 24);
        changed |= generateKeyPair(secrets, "context-gateway", "local-gateway");
        changed |= generate(secrets, "encryption-key", 48);
        changed |= generate(secrets, "kdf-salt", 32);
        if (changed) {
            try (OutputStream out = Files.newOutputStream(file)) {
                secrets.store(out, "CloudSentinel local stack: generated once, kept between runs. Never commit.");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return new LocalSettings(root, secrets);
    }

    String secret(String name) {
        return secrets.getProperty(name);
    }

    private static boolean generate(Properties secrets, String name, int bytes) {
        if (secrets.getProperty(name) != null) {
            return false;
        }
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        secrets.setProperty(name, Base64.getEncoder().encodeToString(random));
        return true;
    }

    /**
     * An Ed25519 key pair as {@code cs.context.*} reads it: {@code <name>-private} (PKCS#8) and {@code <name>-public}
     * (X.509), each {@code <key id>:<base64 DER>}.
     */
    private static boolean generateKeyPair(Properties secrets, String name, String keyId) {
        if (secrets.getProperty(name + "-private") != null && secrets.getProperty(name + "-public") != null) {
            return false;
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        secrets.setProperty(name + "-private", keyId + ":" + base64.encodeToString(pair.getPrivate().getEncoded()));
        secrets.setProperty(name + "-public", keyId + ":" + base64.encodeToString(pair.getPublic().getEncoded()));
        return true;
    }

    private static int intFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
