package io.cloudsentinel.crypto.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.crypto.*}; the secrets default to the environment variables ENCRYPTION_KEY and KDF_SALT. */
@ConfigMapping(prefix = "cs.crypto")
public interface CryptoConfig {

    /** The master secret the key-encryption key is derived from: at least 32 bytes of entropy. */
    Optional<String> encryptionKey();

    /** Base64 of exactly 32 random bytes. */
    Optional<String> kdfSalt();

    /**
     * PBKDF2-HMAC-SHA256 iterations for data keys wrapped from now on; prod refuses fewer than 600,000 (OWASP).
     * Recorded with each key version, which keeps opening with its own count when this changes.
     */
    @WithDefault("600000")
    int kdfIterations();

    /**
     * ENCRYPTION_KEY_PREVIOUS: the master key before the current one. It only opens data keys wrapped under it, until
     * a root rotation has moved them all under the current one; then it can be removed.
     */
    Optional<String> encryptionKeyPrevious();

    /** KDF_SALT_PREVIOUS: the previous master key's salt (base64 of 32 bytes); defaults to KDF_SALT. */
    Optional<String> kdfSaltPrevious();

    /** Key versions a root rotation rewraps per transaction (their rows stay locked until it commits). */
    @WithDefault("100")
    int rootRotationBatch();

    /**
     * Encryptions per key version before a rotation is forced: far below the 2^32 bound on random 96-bit nonces
     * under one AES-GCM key (NIST SP 800-38D).
     */
    @WithDefault("1000000000")
    long maxEncryptionsPerVersion();

    /** A version older than this is rotated automatically. */
    @WithDefault("90d")
    java.time.Duration rotationPeriod();

    /** How often a replica checks the age of the newest version. */
    @WithDefault("1h")
    java.time.Duration rotationCheck();

    /** Encryptions a replica reserves from the database at a time, so counting is not a per-call write. */
    @WithDefault("10000")
    int reservationBlock();

    /**
     * The earlier system's master keys (LEGACY_ENCRYPTION_KEYS, comma-separated), each turned into a Fernet key the
     * way it did; an entry written {@code fernet:<key>} is a raw Fernet key. Empty: legacy tokens are refused.
     */
    Optional<java.util.List<String>> legacyKeys();

    /** LEGACY_KDF_SALT; defaults to KDF_SALT. */
    Optional<String> legacyKdfSalt();

    /** Most items in one batch request. */
    @WithDefault("1000")
    int maxBatch();
}
