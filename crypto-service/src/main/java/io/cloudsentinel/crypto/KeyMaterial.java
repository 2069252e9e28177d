package io.cloudsentinel.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.jboss.logging.Logger;

/**
 * ENCRYPTION_KEY and KDF_SALT (and the optional previous pair) as this process uses them. Outside dev mode and tests
 * (whatever the profile is called) any problem of {@link KeyMaterialPolicy} refuses the start. In dev, missing values
 * are generated ONCE into .local/crypto-dev.properties and reused, so data encrypted yesterday still decrypts (the
 * earlier system made a new random salt on every call).
 */
public record KeyMaterial(String masterKey, byte[] salt, int iterations) {

    private static final Logger LOG = Logger.getLogger(KeyMaterial.class);
    static final Path DEV_FILE = Path.of(".local", "crypto-dev.properties");

    public static KeyMaterial resolve(Optional<String> key, Optional<String> salt, int iterations, boolean prod,
            boolean dev) {
        if (dev && (key.isEmpty() || salt.isEmpty())) {
            Properties stored = devMaterial();
            key = key.or(() -> Optional.of(stored.getProperty("encryption-key")));
            salt = salt.or(() -> Optional.of(stored.getProperty("kdf-salt")));
            LOG.warnf("dev profile: using the generated key material in %s; never use it outside development",
                    DEV_FILE);
        }
        List<String> problems = KeyMaterialPolicy.problems(key, salt, iterations);
        if (!problems.isEmpty()) {
            if (prod) {
                throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
            }
            problems.forEach(problem -> LOG.warnf("unsafe outside development: %s", problem));
        }
        byte[] saltBytes = salt.map(KeyMaterialPolicy::decode).orElse(null);
        if (key.isEmpty() || saltBytes == null || saltBytes.length == 0) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
        return new KeyMaterial(key.get(), saltBytes, iterations);
    }

    /** ENCRYPTION_KEY_PREVIOUS and its salt (KDF_SALT_PREVIOUS, else the current salt). */
    public record Previous(String masterKey, byte[] salt) {

        @Override
        public String toString() {
            return "KeyMaterial.Previous[redacted]";
        }
    }

    /**
     * The previous master key, if one is configured: it only opens data keys wrapped under it. Strict launches refuse
     * the same problems as for the current key; elsewhere they are warnings.
     */
    public static Optional<Previous> resolvePrevious(Optional<String> key, Optional<String> salt, byte[] currentSalt,
            boolean prod) {
        List<String> problems = KeyMaterialPolicy.previousProblems(key, salt);
        if (!problems.isEmpty()) {
            if (prod) {
                throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
            }
            problems.forEach(problem -> LOG.warnf("unsafe outside development: %s", problem));
        }
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] saltBytes = salt.isPresent() ? KeyMaterialPolicy.decode(salt.get()) : currentSalt;
        if (saltBytes == null || saltBytes.length == 0) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
        return Optional.of(new Previous(key.get(), saltBytes));
    }

    private static Properties devMaterial() {
        Properties stored = new Properties();
        try {
            if (Files.exists(DEV_FILE)) {
                try (InputStream in = Files.newInputStream(DEV_FILE)) {
                    stored.load(in);
                }
            }
            if (stored.getProperty("encryption-key") == null || stored.getProperty("kdf-salt") == null) {
                SecureRandom random = new SecureRandom();
                byte[] key = new byte[48];
                byte[] salt = new byte[KeyMaterialPolicy.SALT_BYTES];
                random.nextBytes(key);
                random.nextBytes(salt);
                stored.setProperty("encryption-key", Base64.getEncoder().encodeToString(key));
                stored.setProperty("kdf-salt", Base64.getEncoder().encodeToString(salt));
                Files.createDirectories(DEV_FILE.getParent());
                try (OutputStream out = Files.newOutputStream(DEV_FILE)) {
                    stored.store(out, "crypto-service dev key material: generated once, kept. Never commit.");
                }
            }
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep dev key material in " + DEV_FILE, e);
        }
    }

    @Override
    public String toString() {
        return "KeyMaterial[iterations=" + iterations + "]"; // never the key or the salt
    }
}
