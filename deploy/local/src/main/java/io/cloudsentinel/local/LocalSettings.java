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
    /** The model endpoint job-service's analyses use; empty: the launcher's local stub (LocalModelStub). */
    final java.util.Optional<String> llmBaseUrl;
    final String llmModel;
    final int stubPort;

    private LocalSettings(Path root, Properties secrets) {
        this.root = root;
        this.local = root.resolve(".local");
        this.logs = local.resolve("logs");
        this.postgresPort = intFromEnv("CS_LOCAL_POSTGRES_PORT", 5433);
        this.kafkaPort = intFromEnv("CS_LOCAL_KAFKA_PORT", 9092);
        this.controllerPort = intFromEnv("CS_LOCAL_KAFKA_CONTROLLER_PORT", 9093);
        this.secrets = secrets;
        this.llmBaseUrl = java.util.Optional.ofNullable(System.getenv("CS_LOCAL_LLM_BASE_URL"))
                .map(String::strip).filter(url -> !url.isEmpty());
        this.llmModel = java.util.Optional.ofNullable(System.getenv("CS_LOCAL_LLM_MODEL")).map(String::strip)
                .filter(model -> !model.isEmpty()).orElse(LocalModelStub.MODEL);
        this.stubPort = intFromEnv("CS_LOCAL_STUB_PORT", 8089);
    }

    /** The platform's model API key: CS_LOCAL_LLM_API_KEY with a real endpoint, the stub's fixed key otherwise. */
    String llmApiKey() {
        return llmBaseUrl.isPresent() ? java.util.Optional.ofNullable(System.getenv("CS_LOCAL_LLM_API_KEY"))
                .orElse("") : LocalModelStub.API_KEY;
    }

    String llmEndpoint() {
        return llmBaseUrl.orElse("http://127.0.0.1:" + stubPort);
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
        // services that call others for a tenant sign with keys of their own (job-service, budget-service)
        changed |= generateKeyPair(secrets, "context-job-service", "local-job-service");
        changed |= generateKeyPair(secrets, "context-budget-service", "local-budget-service");
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
