package io.cloudsentinel.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a strict launch (anything but dev mode and tests) refuses in the key material, each with how to fix it; dev
 * mode and tests warn instead.
 */
public final class KeyMaterialPolicy {

    public static final int MIN_KEY_BYTES = 32;
    public static final int SALT_BYTES = 32;
    public static final int MIN_ITERATIONS = 600_000;

    /** Values printed in our repository (docs, tests): anyone can read them. */
    static final Set<String> WELL_KNOWN = Set.of(
            "test-only-encryption-key-0123456789abcdef",
            "dGVzdC1vbmx5LWtkZi1zYWx0LTAxMjM0NTY3ODlhYmM=",
            "change-me-to-a-long-random-secret-of-48-bytes!!",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            // the previous master key of the root rotation tests
            "test-only-previous-encryption-key-0123456789",
            "dGVzdC1vbmx5LXByZXZpb3VzLWtkZi1zYWx0LTAxMjM=");

    private KeyMaterialPolicy() {
    }

    public static List<String> problems(Optional<String> key, Optional<String> salt, int iterations) {
        List<String> problems = new ArrayList<>();
        keyProblems("ENCRYPTION_KEY", key, problems);
        if (salt.isEmpty()) {
            problems.add("KDF_SALT is not set; generate one with: openssl rand -base64 32");
        } else {
            saltProblems("KDF_SALT", salt.get(), problems);
        }
        if (iterations < MIN_ITERATIONS) {
            problems.add("cs.crypto.kdf-iterations is " + iterations + "; use at least " + MIN_ITERATIONS);
        }
        return problems;
    }

    /**
     * The previous master key, which only opens data keys wrapped under it until a root rotation moves them: held to
     * the same rules, since whoever has it reads those data keys. Its salt defaults to KDF_SALT.
     */
    public static List<String> previousProblems(Optional<String> key, Optional<String> salt) {
        List<String> problems = new ArrayList<>();
        if (key.isEmpty()) {
            if (salt.isPresent()) {
                problems.add("KDF_SALT_PREVIOUS is set but ENCRYPTION_KEY_PREVIOUS is not; set both, or neither");
            }
            return problems;
        }
        keyProblems("ENCRYPTION_KEY_PREVIOUS", key, problems);
        salt.ifPresent(value -> saltProblems("KDF_SALT_PREVIOUS", value, problems));
        return problems;
    }

    private static void keyProblems(String name, Optional<String> key, List<String> problems) {
        if (key.isEmpty()) {
            problems.add(name + " is not set; generate one with: openssl rand -base64 48");
        } else if (key.get().getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            problems.add(name + " is shorter than " + MIN_KEY_BYTES
                    + " bytes; generate one with: openssl rand -base64 48");
        } else if (WELL_KNOWN.contains(key.get())) {
            problems.add(name + " is an example value from our docs or tests; generate one with: "
                    + "openssl rand -base64 48");
        }
    }

    private static void saltProblems(String name, String salt, List<String> problems) {
        byte[] decoded = decode(salt);
        if (decoded == null) {
            problems.add(name + " is not base64; generate one with: openssl rand -base64 32");
        } else if (decoded.length != SALT_BYTES) {
            problems.add(name + " decodes to " + decoded.length + " bytes, not " + SALT_BYTES
                    + "; generate one with: openssl rand -base64 32");
        } else if (WELL_KNOWN.contains(salt)) {
            problems.add(name + " is an example value from our docs or tests; generate one with: "
                    + "openssl rand -base64 32");
        }
    }

    static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
