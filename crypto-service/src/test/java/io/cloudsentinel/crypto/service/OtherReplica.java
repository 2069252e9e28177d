package io.cloudsentinel.crypto.service;

import java.time.Duration;
import java.util.Optional;

import io.cloudsentinel.crypto.Ciphertext;
import io.cloudsentinel.crypto.Envelope;
import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.repository.KeyPolicyRepository;
import io.cloudsentinel.crypto.repository.KeyVersionRepository;
import io.cloudsentinel.crypto.store.KeyVersionInserts;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.Arc;

/**
 * A keyring (and its rotation) with key settings of its own, on the running service's database: another replica, or
 * this one restarted with other settings. It starts as a replica does ({@link Keyring#open}), so a keyring that cannot
 * read what is stored refuses here as the service would.
 */
public final class OtherReplica {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Keyring keyring;
    private final KeyRotation rotation;

    private OtherReplica(Keyring keyring, KeyRotation rotation) {
        this.keyring = keyring;
        this.rotation = rotation;
    }

    /**
     * @param previousKey ENCRYPTION_KEY_PREVIOUS, or null for none ({@code previousSalt} likewise)
     * @throws IllegalStateException when it refuses to start
     */
    public static OtherReplica start(String key, String salt, String previousKey, String previousSalt,
            int iterations) {
        var arc = Arc.container();
        CryptoConfig config = new Settings(arc.instance(CryptoConfig.class).get(), Optional.of(key), Optional.of(salt),
                Optional.ofNullable(previousKey), Optional.ofNullable(previousSalt), iterations);
        TenantTransactions transactions = arc.instance(TenantTransactions.class).get();
        KeyPolicyRepository policy = arc.instance(KeyPolicyRepository.class).get();
        Keyring keyring = new Keyring(transactions, arc.instance(KeyVersionRepository.class).get(), policy, config,
                new SimpleMeterRegistry());
        keyring.open();
        return new OtherReplica(keyring, new KeyRotation(keyring, transactions,
                arc.instance(KeyVersionInserts.class).get(), policy, config));
    }

    /** Adds a version whose data key this replica wraps; its number. */
    public int rotate() {
        return rotation.rotate().await().atMost(WAIT);
    }

    public String masterKeyId() {
        return keyring.currentMasterKeyId();
    }

    /** The data key of a version, as this replica opened it. */
    public byte[] dataKey(int version) {
        return keyring.decryptionKey(version).await().atMost(WAIT).getEncoded();
    }

    /** Encrypts under this replica's newest version, as the service would. */
    public String encrypt(TenantId tenant, String purpose, byte[] plaintext) {
        int version = keyring.newest();
        return Envelope.seal(keyring.encryptionKey(version), version, tenant, purpose, plaintext).toString();
    }

    public byte[] decrypt(TenantId tenant, String purpose, String ciphertext) {
        Ciphertext parsed = Ciphertext.parse(ciphertext);
        return Envelope.open(keyring.decryptionKey(parsed.version()).await().atMost(WAIT), parsed, tenant, purpose);
    }

    /** The service's configuration with other key settings. */
    private record Settings(CryptoConfig base, Optional<String> encryptionKey, Optional<String> kdfSalt,
            Optional<String> encryptionKeyPrevious, Optional<String> kdfSaltPrevious, int kdfIterations)
            implements
                CryptoConfig {

        @Override
        public int rootRotationBatch() {
            return base.rootRotationBatch();
        }

        @Override
        public long maxEncryptionsPerVersion() {
            return base.maxEncryptionsPerVersion();
        }

        @Override
        public Duration rotationPeriod() {
            return base.rotationPeriod();
        }

        @Override
        public Duration rotationCheck() {
            return base.rotationCheck();
        }

        @Override
        public int reservationBlock() {
            return base.reservationBlock();
        }

        @Override
        public Optional<java.util.List<String>> legacyKeys() {
            return base.legacyKeys();
        }

        @Override
        public Optional<String> legacyKdfSalt() {
            return base.legacyKdfSalt();
        }

        @Override
        public int maxBatch() {
            return base.maxBatch();
        }
    }
}
