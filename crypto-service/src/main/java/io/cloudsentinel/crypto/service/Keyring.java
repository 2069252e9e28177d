package io.cloudsentinel.crypto.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.CryptoProblems;
import io.cloudsentinel.crypto.DecryptionFailedException;
import io.cloudsentinel.crypto.Envelope;
import io.cloudsentinel.crypto.KeyEncryptionKey;
import io.cloudsentinel.crypto.KeyMaterial;
import io.cloudsentinel.crypto.KeyVersionRetiredException;
import io.cloudsentinel.crypto.MasterKey;
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
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The key cache: the data keys of every version, unwrapped in memory; the newest version encrypts, versions at or
 * above the minimum decryption version decrypt. Each version records the master key and PBKDF2 iteration count it is
 * wrapped under, and the keyring holds one key-encryption key per recorded pair, so a new ENCRYPTION_KEY (with the old
 * one as ENCRYPTION_KEY_PREVIOUS) or a higher kdf-iterations leaves every version readable; new data keys are wrapped
 * under the current master key and count. Every replica reloads the versions and the policy every 10 s, since another
 * may have rotated ({@link KeyRotation} adds versions, {@link RootRotation} rewraps them).
 */
@ApplicationScoped
public class Keyring {

    private static final Logger LOG = Logger.getLogger(Keyring.class);
    /** Key versions are global rows: read and changed on the audited system path. */
    static final SystemTask TASK = new SystemTask("keyring");

    /** A version as {@code GET /keys} shows it: never key material ({@code masterKeyId} null: not recorded). */
    public record VersionInfo(int version, Instant createdAt, int kdfIterations, String masterKeyId,
            long encryptionsReserved) {
    }

    /** A data key wrapped for storage, and what it is wrapped under, recorded beside it. */
    record Wrapped(byte[] key, String masterKeyId, int iterations) {
    }

    private record KekId(String masterKeyId, int iterations) {
    }

    private record Snapshot(List<KeyVersion> versions, int minDecryption) {
    }

    /** Versions that opened under no configured master key, and whether some need a key not derived yet. */
    private record Opening(List<KeyVersion> unreadable, boolean derivationNeeded) {
    }

    private final TenantTransactions transactions;
    private final KeyVersionRepository versions;
    private final KeyPolicyRepository policy;
    private final CryptoConfig config;
    private final Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<KekId, KeyEncryptionKey> keks = new ConcurrentHashMap<>();
    private final Set<Integer> unreadable = ConcurrentHashMap.newKeySet();
    /** The current master key first: it alone wraps; the previous one only opens. */
    private volatile List<MasterKey> masters = List.of();
    private volatile int iterations;
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

    /** Runs on the main thread at start-up, before the first rotation: the slow derivations never touch an event loop. */
    void start(@Observes @Priority(1) StartupEvent startup) {
        open();
    }

    /**
     * Derives the master keys' ids and key-encryption keys and opens every stored version (blocking). A version that
     * opens under no configured master key refuses the start, naming it: a keyring that cannot read what is stored
     * would fail those ciphertexts one call at a time instead.
     */
    void open() {
        // strict outside dev mode and tests, whatever the profile is called (a "staging" is as exposed as a "prod")
        boolean prod = StrictLaunch.isStrict();
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT || ConfigUtils.getProfiles().contains("dev");
        KeyMaterial material = KeyMaterial.resolve(config.encryptionKey(), config.kdfSalt(), config.kdfIterations(),
                prod, dev);
        Optional<KeyMaterial.Previous> previous = KeyMaterial.resolvePrevious(config.encryptionKeyPrevious(),
                config.kdfSaltPrevious(), material.salt(), prod);
        MasterKey current = MasterKey.of(material.masterKey(), material.salt());
        List<MasterKey> configured = new ArrayList<>(List.of(current));
        previous.map(p -> MasterKey.of(p.masterKey(), p.salt())).ifPresent(p -> {
            if (p.id().equals(current.id())) {
                LOG.warnf("ENCRYPTION_KEY_PREVIOUS is the current master key %s; ignored", p.id());
            } else {
                configured.add(p);
                LOG.infof("previous master key %s configured: it opens data keys wrapped under it, never wraps one",
                        p.id());
            }
        });
        masters = List.copyOf(configured);
        iterations = material.iterations();
        long started = System.nanoTime();
        keks.put(new KekId(current.id(), iterations), current.kek(iterations));
        LOG.infof("key-encryption key derived with %d PBKDF2 iterations in %d ms (master key %s)", iterations,
                (System.nanoTime() - started) / 1_000_000, current.id());

        Snapshot snapshot = read().await().indefinitely();
        List<KeyVersion> failed = openAll(snapshot.versions(), true).unreadable();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(refusal(failed));
        }
        apply(snapshot);
        List<Integer> stale = snapshot.versions().stream().filter(v -> !isCurrent(v.masterKeyId, v.kdfIterations))
                .map(v -> v.version).toList();
        if (!stale.isEmpty()) {
            LOG.infof("key versions %s are not wrapped under master key %s with %d iterations; POST"
                    + " /api/v1/crypto/keys/rotate-root moves them", stale, current.id(), iterations);
        }
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        // other replicas may have rotated, rewrapped or changed the policy
        return reload().onFailure().invoke(failure -> LOG.warn("key refresh failed; retrying in 10 s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public int newest() {
        return newest;
    }

    public int minDecryptionVersion() {
        return minDecryption;
    }

    /** The master key that wraps new data keys: its id, never the key. */
    public String currentMasterKeyId() {
        return masters.get(0).id();
    }

    /** @throws io.cloudsentinel.platform.problem.ProblemException 503 when this replica cannot open the version */
    public SecretKey encryptionKey(int version) {
        SecretKey key = keys.get(version);
        if (key == null) {
            throw CryptoProblems.keyVersionUnavailable(version);
        }
        return key;
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
            if (reloaded != null) {
                return reloaded;
            }
            if (unreadable.contains(version)) {
                throw CryptoProblems.keyVersionUnavailable(version);
            }
            throw new DecryptionFailedException();
        });
    }

    public Uni<List<VersionInfo>> describe() {
        return stored().map(all -> all.stream()
                .map(v -> new VersionInfo(v.version, v.createdAt, v.kdfIterations, v.masterKeyId,
                        v.encryptionsReserved))
                .toList());
    }

    /** A new data key wrapped for storage under the current master key and iteration count, bound to its version. */
    Wrapped wrap(int version, byte[] dataKey) {
        MasterKey current = masters.get(0);
        return new Wrapped(Envelope.sealWithKek(keks.get(new KekId(current.id(), iterations)), version, dataKey),
                current.id(), iterations);
    }

    int kdfIterations() {
        return iterations;
    }

    /** Whether a version recorded so is wrapped under the current master key and iteration count. */
    boolean isCurrent(String masterKeyId, int kdfIterations) {
        return currentMasterKeyId().equals(masterKeyId) && kdfIterations == iterations;
    }

    /**
     * The stored data key, opened with a key-encryption key this keyring holds and wrapped again under the current
     * ones: never a wrapping of a wrapping. Empty when none it holds opens it (never derives: callers are in a
     * transaction on an event loop; {@link #reload} derives what recorded versions need).
     */
    Optional<Wrapped> rewrapUnderCurrent(int version, byte[] wrapped, String masterKeyId, int kdfIterations) {
        for (MasterKey master : candidates(masterKeyId)) {
            KeyEncryptionKey kek = keks.get(new KekId(master.id(), kdfIterations));
            if (kek == null) {
                continue;
            }
            byte[] dataKey;
            try {
                dataKey = Envelope.openWithKek(kek, version, wrapped);
            } catch (DecryptionFailedException e) {
                continue;
            }
            try {
                return Optional.of(wrap(version, dataKey));
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        return Optional.empty();
    }

    /** Every stored version, oldest first. */
    Uni<List<KeyVersion>> stored() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder());
    }

    /**
     * Reads the versions and the policy again; opens versions not seen yet. A key-encryption key that a version needs
     * and this replica has not derived (another replica wrapped it with another iteration count) is derived on a worker
     * thread, once.
     */
    Uni<Void> reload() {
        return read().chain(snapshot -> {
            Opening opening = openAll(snapshot.versions(), false);
            Uni<Opening> complete = opening.derivationNeeded()
                    ? offEventLoop(() -> openAll(snapshot.versions(), true))
                    : Uni.createFrom().item(opening);
            return complete.map(done -> {
                for (KeyVersion version : done.unreadable()) {
                    if (unreadable.add(version.version)) {
                        LOG.errorf("key version %d does not open on this replica (%s): it cannot encrypt or"
                                + " decrypt with it until that master key is configured as ENCRYPTION_KEY_PREVIOUS",
                                version.version, reason(version));
                    }
                }
                apply(snapshot);
                return null;
            });
        });
    }

    private Uni<Snapshot> read() {
        return transactions.asSystemSession(TASK, session -> versions.allInOrder()
                .chain(all -> policy.current().map(current -> new Snapshot(all, current.minDecryptionVersion))));
    }

    private void apply(Snapshot snapshot) {
        List<KeyVersion> all = snapshot.versions();
        newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version;
        minDecryption = snapshot.minDecryption();
    }

    /**
     * Opens the versions not opened yet and makes sure the key-encryption key of each recorded (master key, iterations)
     * is held, deriving it only when {@code mayDerive} (off any event loop).
     */
    private Opening openAll(List<KeyVersion> all, boolean mayDerive) {
        List<KeyVersion> failed = new ArrayList<>();
        boolean derivationNeeded = false;
        for (KeyVersion stored : all) {
            boolean seen = keys.containsKey(stored.version);
            if (seen && stored.masterKeyId == null) {
                continue;
            }
            boolean pending = false;
            SecretKey opened = null;
            for (MasterKey master : candidates(stored.masterKeyId)) {
                KeyEncryptionKey kek = kek(master, stored.kdfIterations, mayDerive);
                if (kek == null) {
                    pending = true;
                    continue;
                }
                if (seen) {
                    break; // its data key is open; only its (master key, iterations) had to be held for rewrapping
                }
                opened = open(kek, stored);
                if (opened != null) {
                    break;
                }
            }
            if (opened != null) {
                keys.put(stored.version, opened);
                unreadable.remove(stored.version);
            } else if (pending) {
                derivationNeeded = true;
            } else if (!seen) {
                failed.add(stored);
            }
        }
        return new Opening(failed, derivationNeeded);
    }

    /** The master keys a version may be wrapped under: the one it records, or every one when it records none. */
    private List<MasterKey> candidates(String masterKeyId) {
        List<MasterKey> configured = masters;
        return masterKeyId == null ? configured
                : configured.stream().filter(master -> master.id().equals(masterKeyId)).toList();
    }

    private KeyEncryptionKey kek(MasterKey master, int kdfIterations, boolean mayDerive) {
        KekId id = new KekId(master.id(), kdfIterations);
        KeyEncryptionKey held = keks.get(id);
        if (held != null || !mayDerive) {
            return held;
        }
        long started = System.nanoTime();
        KeyEncryptionKey derived = master.kek(kdfIterations);
        LOG.infof("key-encryption key of master key %s with %d PBKDF2 iterations derived in %d ms", master.id(),
                kdfIterations, (System.nanoTime() - started) / 1_000_000);
        KeyEncryptionKey raced = keks.putIfAbsent(id, derived);
        return raced != null ? raced : derived;
    }

    private static SecretKey open(KeyEncryptionKey kek, KeyVersion stored) {
        byte[] dataKey;
        try {
            dataKey = Envelope.openWithKek(kek, stored.version, stored.wrappedKey);
        } catch (DecryptionFailedException e) {
            return null; // AES-GCM: a wrong key-encryption key fails here, it never yields another data key
        }
        try {
            return new SecretKeySpec(dataKey, "AES");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private String refusal(List<KeyVersion> failed) {
        Map<String, List<Integer>> byReason = failed.stream().collect(Collectors.groupingBy(
                v -> reason(v), LinkedHashMap::new,
                Collectors.mapping(v -> v.version, Collectors.toList())));
        String configured = "ENCRYPTION_KEY is master key " + masters.get(0).id()
                + (masters.size() > 1 ? ", ENCRYPTION_KEY_PREVIOUS is master key " + masters.get(1).id()
                        : ", ENCRYPTION_KEY_PREVIOUS is not set");
        return "refusing to start: key versions " + failed.stream().map(v -> v.version).toList()
                + " open under no configured master key (" + configured + "): "
                + byReason.entrySet().stream().map(e -> "versions " + e.getValue() + ": " + e.getKey())
                        .collect(Collectors.joining("; "))
                + ". Configure the master key they were wrapped under as ENCRYPTION_KEY_PREVIOUS (with"
                + " KDF_SALT_PREVIOUS), start, and move them with POST /api/v1/crypto/keys/rotate-root";
    }

    /** Why a version opens under no configured master key, by what it records: ids only, never a key. */
    private String reason(KeyVersion version) {
        if (version.masterKeyId == null) {
            return "no master key recorded, and none of the configured ones opens it with " + version.kdfIterations
                    + " iterations";
        }
        return candidates(version.masterKeyId).isEmpty()
                ? "wrapped under master key " + version.masterKeyId + ", which is not configured"
                : "recorded under master key " + version.masterKeyId + " with " + version.kdfIterations
                        + " iterations, which does not authenticate it (altered in the database?)";
    }

    /**
     * Runs slow work (a PBKDF2 derivation) on a worker thread and comes back on the caller's Vert.x context, whose
     * later stages may need it (the request, a Panache session).
     */
    private static <T> Uni<T> offEventLoop(Supplier<T> work) {
        Context caller = Vertx.currentContext();
        Uni<T> off = Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? off : off.emitOn(step -> caller.runOnContext(ignored -> step.run()));
    }
}
