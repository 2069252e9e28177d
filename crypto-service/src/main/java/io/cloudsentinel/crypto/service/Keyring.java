package io.cloudsentinel.crypto.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.DecryptionFailedException;
import io.cloudsentinel.crypto.KeyEncryptionKey;
import io.cloudsentinel.crypto.KeyMaterial;
import io.cloudsentinel.crypto.KeyVersionRetiredException;
import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.repository.KeyPolicyRepository;
import io.cloudsentinel.crypto.repository.KeyVersion;
import io.cloudsentinel.crypto.repository.KeyVersionRepository;
import io.cloudsentinel.crypto.store.EncryptionReservations;
import io.cloudsentinel.crypto.store.KeyVersionInserts;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
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
 * The data keys of every version, unwrapped in memory after the key-encryption key was derived once at start-up;
 * the newest version encrypts, versions at or above the minimum decryption version decrypt. Encryptions are counted
 * per version by reserving blocks in the database; a version that would exceed its budget is rotated first.
 */
@ApplicationScoped
public class Keyring {

    private static final Logger LOG = Logger.getLogger(Keyring.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A version as {@code GET /keys} shows it: never key material. */
    public record VersionInfo(int version, Instant createdAt, int kdfIterations, long encryptionsReserved) {
    }

    /** Key versions are global rows: read and changed on the audited system path. */
    private static final SystemTask TASK = new SystemTask("keyring");

    private final TenantTransactions transactions;
    private final KeyVersionRepository versions;
    private final KeyPolicyRepository policy;
    private final KeyVersionInserts inserts;
    private final EncryptionReservations reservations;
    private final CryptoConfig config;
    private final Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
    private volatile KeyEncryptionKey kek;
    private volatile int newest;
    private volatile int minDecryption = 1;
    private long blockVersion;
    private long blockRemaining;

    public Keyring(TenantTransactions transactions, KeyVersionRepository versions, KeyPolicyRepository policy,
            KeyVersionInserts inserts, EncryptionReservations reservations, CryptoConfig config,
            MeterRegistry registry) {
        this.transactions = transactions;
        this.versions = versions;
        this.policy = policy;
        this.inserts = inserts;
        this.reservations = reservations;
        this.config = config;
        Gauge.builder("cs.crypto.key.version", () -> newest).description("The key version new encryptions use")
                .register(registry);
    }

    /** Runs on the main thread at start-up: the slow derivation never touches an event loop. */
    void start(@Observes StartupEvent startup) {
        boolean prod = ConfigUtils.getProfiles().contains("prod");
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT || ConfigUtils.getProfiles().contains("dev");
        KeyMaterial material = KeyMaterial.resolve(config.encryptionKey(), config.kdfSalt(), config.kdfIterations(),
                prod, dev);
        long started = System.nanoTime();
        kek = KeyEncryptionKey.derive(material.masterKey(), material.salt(), material.iterations());
        LOG.infof("key-encryption key derived with %d PBKDF2 iterations in %d ms", material.iterations(),
                (System.nanoTime() - started) / 1_000_000);
        reload().await().indefinitely();
        if (newest == 0) {
            rotate().await().indefinitely();
        }
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        // other replicas may have rotated or changed the policy
        return reload().onFailure().recoverWithNull().replaceWithVoid();
    }

    public int newest() {
        return newest;
    }

    /** The version that may encrypt {@code count} more items, counted before any is produced. */
    public Uni<Integer> reserveForEncryption(int count) {
        int version = newest;
        synchronized (this) {
            if (blockVersion == version && blockRemaining >= count) {
                blockRemaining -= count;
                return Uni.createFrom().item(version);
            }
        }
        long block = Math.max(count, config.reservationBlock());
        return transactions.asSystem(TASK, connection -> reservations.reserve(connection, version, block)).chain(total -> {
            if (total > config.maxEncryptionsPerVersion()) {
                LOG.infof("key version %d reached its encryption budget; rotating", version);
                return rotateAutomatically(version).chain(() -> reserveForEncryption(count));
            }
            synchronized (this) {
                blockVersion = version;
                blockRemaining = block - count;
            }
            return Uni.createFrom().item(version);
        });
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

    /** Rotates when the newest version is older than the rotation period (any replica; one rotation results). */
    @Scheduled(every = "${cs.crypto.rotation-check:1h}", delayed = "${cs.crypto.rotation-check:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rotateWhenOld() {
        return stored().chain(all -> {
            if (all.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            KeyVersion newestStored = all.get(all.size() - 1);
            if (newestStored.createdAt.plus(config.rotationPeriod()).isAfter(Instant.now())) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("key version %d is older than %s; rotating", newestStored.version, config.rotationPeriod());
            return rotateAutomatically(newestStored.version).replaceWithVoid();
        }).onFailure().invoke(failure -> LOG.warn("automatic rotation failed; retrying at the next check", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Adds {@code expected + 1} unless another replica already rotated past {@code expected}. */
    private Uni<Void> rotateAutomatically(int expected) {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        byte[] wrapped = KeyWrapping.wrap(kek, expected + 1, dataKey);
        java.util.Arrays.fill(dataKey, (byte) 0);
        return transactions.asSystem(TASK,
                connection -> inserts.insertIfNewest(connection, expected, wrapped, kek.iterations()))
                .invoke(inserted -> {
                    if (inserted) {
                        LOG.infof("rotated automatically: key version %d now encrypts", expected + 1);
                    }
                })
                .chain(this::reload);
    }

    /** Adds a new newest version with a fresh random data key. */
    public Uni<Integer> rotate() {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        int next = newest + 1;
        byte[] wrapped = KeyWrapping.wrap(kek, next, dataKey);
        java.util.Arrays.fill(dataKey, (byte) 0);
        return transactions.asSystem(TASK, connection -> inserts.insert(connection, next, wrapped, kek.iterations()))
                .chain(inserted -> reload().chain(() -> inserted
                        ? Uni.createFrom().item(next)
                        : rotate())) // another replica took the number: try the one after
                .invoke(version -> LOG.infof("rotated: key version %d now encrypts", version));
    }

    public Uni<Void> setMinDecryptionVersion(int version) {
        if (version < 1 || version > newest) {
            return Uni.createFrom().failure(new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400,
                    "Validation failed", "minDecryptionVersion must be between 1 and the newest version " + newest)
                    .with("violations", List.of(Map.of("field", "minDecryptionVersion", "message",
                            "must be between 1 and " + newest)))));
        }
        return transactions.asSystemSession(TASK, session -> policy.current().invoke(current -> {
            current.minDecryptionVersion = version;
            current.updatedAt = Instant.now();
        })).chain(this::reload)
                .invoke(() -> LOG.infof("minimum decryption version set to %d", version));
    }

    public int minDecryptionVersion() {
        return minDecryption;
    }

    public Uni<List<VersionInfo>> describe() {
        return stored().map(all -> all.stream()
                .map(v -> new VersionInfo(v.version, v.createdAt, v.kdfIterations, v.encryptionsReserved))
                .toList());
    }

    private Uni<Void> reload() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder()
                .chain(all -> policy.current().map(current -> {
                    for (KeyVersion stored : all) {
                        keys.computeIfAbsent(stored.version, v -> new SecretKeySpec(
                                KeyWrapping.unwrap(kek, v, stored.wrappedKey), "AES"));
                    }
                    newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version;
                    minDecryption = current.minDecryptionVersion;
                    return null;
                })));
    }

    private Uni<List<KeyVersion>> stored() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder());
    }
}
