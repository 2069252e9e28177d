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
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Ports, directories, options and the secrets of a stack. Secrets are generated once and kept in
 * {@code <state>/secrets.properties} (owner-only; the launcher's state is .local/), so that data encrypted or signed
 * in one run is still readable in the next: stable dev values, never random per call.
 */
final class LocalSettings {

    final Path root;
    final Path local;
    final Path logs;
    final Ports ports;
    final Properties secrets;
    /** The model endpoint job-service's analyses use; empty: the launcher's local stub (LocalModelStub). */
    final Optional<String> llmBaseUrl;
    final String llmModel;
    private final String llmApiKey;
    /** fsync and synchronous commit on, as in production; off only for throwaway data (e2e scenarios). */
    final boolean durable;
    /** The broker's classpath: the kafka_2.13 jars deploy/local/run fetched, or a test's own classpath. */
    final String kafkaClasspath;
    /** Extra environment per service name (shortened intervals in e2e), applied last. */
    private final Map<String, Map<String, String>> extraEnvironment;
    /**
     * {@code true}: the services in the {@code prod} profile alone, as deployed (benchmarks); the tenants' identity
     * provider is then a generated key pair of the usual exponent, not the dev pair the gateway accepts only under
     * {@code local}.
     */
    final boolean production;

    LocalSettings(Path root, Path local, Ports ports, Properties secrets, Optional<String> llmBaseUrl,
            String llmModel, String llmApiKey, boolean durable, String kafkaClasspath,
            Map<String, Map<String, String>> extraEnvironment, boolean production) {
        this.root = root;
        this.local = local;
        this.logs = local.resolve("logs");
        this.ports = ports;
        this.secrets = secrets;
        this.llmBaseUrl = llmBaseUrl;
        this.llmModel = llmModel;
        this.llmApiKey = llmApiKey;
        this.durable = durable;
        this.kafkaClasspath = kafkaClasspath;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        this.production = production;
    }

    /** The profiles the services run in; the migration runs add {@code migrate}. */
    String profiles() {
        return production ? "prod" : "prod,local";
    }

    /** The identity provider whose tokens the gateway trusts on this stack. */
    DevTokens tokens() {
        return production ? DevTokens.identityProvider(local) : new DevTokens(local);
    }

    /** The platform's model API key: CS_LOCAL_LLM_API_KEY with a real endpoint, the stub's fixed key otherwise. */
    String llmApiKey() {
        return llmApiKey;
    }

    String llmEndpoint() {
        return llmBaseUrl.orElse("http://127.0.0.1:" + ports.stub());
    }

    int port(ServiceModule service) {
        return ports.http(service);
    }

    int managementPort(ServiceModule service) {
        return ports.management(service);
    }

    Map<String, String> extraEnvironment(ServiceModule service) {
        return extraEnvironment.getOrDefault(service.name(), Map.of());
    }

    /** The launcher's settings: .local/ under the checkout, ports and model endpoint from CS_LOCAL_* variables. */
    static LocalSettings load(Path root) throws IOException {
        Optional<String> llmBaseUrl = Optional.ofNullable(System.getenv("CS_LOCAL_LLM_BASE_URL"))
                .map(String::strip).filter(url -> !url.isEmpty());
        String llmModel = Optional.ofNullable(System.getenv("CS_LOCAL_LLM_MODEL")).map(String::strip)
                .filter(model -> !model.isEmpty()).orElse(LocalModelStub.MODEL);
        String llmApiKey = llmBaseUrl.isPresent() ? Optional.ofNullable(System.getenv("CS_LOCAL_LLM_API_KEY"))
                .orElse("") : LocalModelStub.API_KEY;
        Path local = root.resolve(".local");
        // the data there is kept between runs: durable
        return new LocalSettings(root, local, Ports.local(), secrets(local), llmBaseUrl, llmModel, llmApiKey, true,
                local.resolve("kafka").resolve("lib") + "/*", Map.of(), false);
    }

    /** The secrets kept in {@code <state>/secrets.properties}, generated on first use. */
    static Properties secrets(Path local) throws IOException {
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
        return secrets;
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
}
