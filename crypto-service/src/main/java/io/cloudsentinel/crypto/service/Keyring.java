package io.cloudsentinel.crypto.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.DecryptionFailedException;
import io.cloudsentinel.crypto.Envelope;
import io.cloudsentinel.crypto.KeyEncryptionKey;
import io.cloudsentinel.crypto.KeyMaterial;
import io.cloudsentinel.crypto.KeyVersionRetiredException;
import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.repository.KeyPolicyRepository;
import io.cloudsentinel.crypto.repository.KeyVersion;
import io.cloudsentinel.crypto.repository.KeyVersionRepository;
import io.cloudsentinel.platform.context.StrictLaunch;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The key cache: the data keys of every version, unwrapped in memory after the key-encryption key was derived once at
 * start-up; the newest version encrypts, versions at or above the minimum decryption version decrypt. Every replica
 * reloads the versions and the policy every 10 s, since another may have rotated ({@link KeyRotation} adds versions).
 */
@ApplicationScoped
public class Keyring {

    private static final Logger LOG = Logger.getLogger(Keyring.class);
    /** Key versions are global rows: read and changed on the audited system path. */
    static final SystemTask TASK = new SystemTask("keyring");

    /** A version as {@code GET /keys} shows it: never key material. */
    public record VersionInfo(int version, Instant createdAt, int kdfIterations, long encryptionsReserved) {
    }

    private final TenantTransactions transactions;
    private final KeyVersionRepository versions;
    private final KeyPolicyRepository policy;
    private final CryptoConfig config;
    private final Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
    private volatile KeyEncryptionKey kek;
    private volatile int newest;
    private volatile int minDecryption = 1;

    public Keyring(TenantTransactions transactions, KeyVersionRepository versions, KeyPolicyRepository policy,
            CryptoConfig config, MeterRegistry registry) {
        this.transactions = transactions;
        this.versions = versions;
        this.policy = policy;
        this.config = config;
        Gauge.builder("cs.crypto.key.version", () -> newest).description("The key version new encryptions use")
                .register(registry);
    }

    /** Runs on the main thread at start-up, before the first rotation: the slow derivation never touches an event loop. */
    void start(@Observes @Priority(1) StartupEvent startup) {
        // strict outside dev mode and tests, whatever the profile is called (a "staging" is as exposed as a "prod")
        boolean prod = StrictLaunch.isStrict();
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT || ConfigUtils.getProfiles().contains("dev");
        KeyMaterial material = KeyMaterial.resolve(config.encryptionKey(), config.kdfSalt(), config.kdfIterations(),
                prod, dev);
        long started = System.nanoTime();
        kek = KeyEncryptionKey.derive(material.masterKey(), material.salt(), material.iterations());
        LOG.infof("key-encryption key derived with %d PBKDF2 iterations in %d ms", material.iterations(),
                (System.nanoTime() - started) / 1_000_000);
        reload().await().indefinitely();
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        // other replicas may have rotated or changed the policy
        return reload().onFailure().recoverWithNull().replaceWithVoid();
    }

    public int newest() {
        return newest;
    }

    public int minDecryptionVersion() {
        return minDecryption;
    }

    public SecretKey encryptionKey(int version) {
        return keys.get(version);
    }

    /** @throws KeyVersionRetiredException below the minimum decryption version */
    public Uni<SecretKey> decryptionKey(int version) {
        if (version < minDecryption) {
            return Uni.createFrom().failure(new KeyVersionRetiredException(version, minDecryption));
        }
        SecretKey key = keys.get(version);
        if (key != null) {
            return Uni.createFrom().item(key);
        }
        return reload().map(ignored -> {
            SecretKey reloaded = keys.get(version);
            if (reloaded == null) {
                throw new DecryptionFailedException();
            }
            return reloaded;
        });
    }

    public Uni<List<VersionInfo>> describe() {
        return stored().map(all -> all.stream()
                .map(v -> new VersionInfo(v.version, v.createdAt, v.kdfIterations, v.encryptionsReserved))
                .toList());
    }

    /** A new data key wrapped for storage under the key-encryption key, bound to its version. */
    byte[] wrap(int version, byte[] dataKey) {
        return Envelope.sealWithKek(kek, version, dataKey);
    }

    int kdfIterations() {
        return kek.iterations();
    }

    /** Every stored version, oldest first. */
    Uni<List<KeyVersion>> stored() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder());
    }

    /** Reads the versions and the policy again; unwraps versions not seen yet. */
    Uni<Void> reload() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder()
                .chain(all -> policy.current().map(current -> {
                    for (KeyVersion stored : all) {
                        keys.computeIfAbsent(stored.version, v -> new SecretKeySpec(
                                Envelope.openWithKek(kek, v, stored.wrappedKey), "AES"));
                    }
                    newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version;
                    minDecryption = current.minDecryptionVersion;
                    return null;
                })));
    }
}
