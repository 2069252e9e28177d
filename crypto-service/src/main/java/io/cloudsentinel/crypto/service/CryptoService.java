package io.cloudsentinel.crypto.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.Ciphertext;
import io.cloudsentinel.crypto.Envelope;
import io.cloudsentinel.crypto.Fernet;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Encrypt, decrypt and rewrap for the calling tenant and a purpose. Every operation is audited (tenant, purpose,
 * key version, item count, outcome) and counted; plaintext and key material never reach a log.
 */
@ApplicationScoped
public class CryptoService {

    private static final Logger AUDIT = Logger.getLogger("io.cloudsentinel.crypto.audit");

    /** Ciphertexts and the key version that made them. */
    public record Sealed(int version, List<String> ciphertexts) {
    }

    /** The keyring as an operator sees it: the version that encrypts, the lowest that decrypts, every version. */
    public record Keys(int currentVersion, int minDecryptionVersion, List<Keyring.VersionInfo> versions) {
    }

    private final Keyring keyring;
    private final KeyRotation rotation;
    private final EncryptionBudget budget;
    private final LegacyKeys legacy;
    private final MeterRegistry registry;
    // Built once: a Timer.builder(...).register(...) per operation was a lookup on the hot path.
    private final Map<String, Timer> timers;

    public CryptoService(Keyring keyring, KeyRotation rotation, EncryptionBudget budget, LegacyKeys legacy,
            MeterRegistry registry) {
        this.keyring = keyring;
        this.rotation = rotation;
        this.budget = budget;
        this.legacy = legacy;
        this.registry = registry;
        this.timers = Map.of("encrypt", timer(registry, "encrypt"), "decrypt", timer(registry, "decrypt"), "rewrap",
                timer(registry, "rewrap"));
    }

    private static Timer timer(MeterRegistry registry, String op) {
        return Timer.builder("cs.crypto.operation.duration").tag("op", op).publishPercentileHistogram()
                .register(registry);
    }

    public Uni<Sealed> encrypt(TenantId tenant, String purpose, List<byte[]> plaintexts) {
        return measured("encrypt", tenant, purpose, plaintexts.size(),
                budget.reserve(plaintexts.size()).map(version -> seal(tenant, purpose, version,
                        plaintexts)).invoke(sealed -> audit("encrypt", tenant, purpose, sealed.version(),
                                plaintexts.size(), "ok")));
    }

    public Uni<List<byte[]>> decrypt(TenantId tenant, String purpose, List<String> ciphertexts) {
        return measured("decrypt", tenant, purpose, ciphertexts.size(), open(tenant, purpose, ciphertexts));
    }

    /** The same data under the newest version; the plaintext stays inside this method. */
    public Uni<Sealed> rewrap(TenantId tenant, String purpose, List<String> ciphertexts) {
        return measured("rewrap", tenant, purpose, ciphertexts.size(), open(tenant, purpose, ciphertexts)
                .chain(plaintexts -> budget.reserve(plaintexts.size())
                        .map(version -> seal(tenant, purpose, version, plaintexts)))
                .invoke(sealed -> audit("rewrap", tenant, purpose, sealed.version(), ciphertexts.size(), "ok")));
    }

    public Uni<Keys> keys() {
        return keyring.describe()
                .map(versions -> new Keys(keyring.newest(), keyring.minDecryptionVersion(), versions));
    }

    /** Adds a version that encrypts from now on; older versions keep decrypting. */
    public Uni<Keys> rotateKeys() {
        return rotation.rotate().chain(this::keys);
    }

    /**
     * Versions below {@code version} stop decrypting: their ciphertexts must have been rewrapped first. Only rises,
     * unless {@code breakGlass}.
     */
    public Uni<Keys> setMinDecryptionVersion(int version, boolean breakGlass, TenantContext caller) {
        return rotation.setMinDecryptionVersion(version, breakGlass, caller).chain(this::keys);
    }

    private Sealed seal(TenantId tenant, String purpose, int version, List<byte[]> plaintexts) {
        var key = keyring.encryptionKey(version);
        List<String> out = new ArrayList<>(plaintexts.size());
        for (byte[] plaintext : plaintexts) {
            out.add(Envelope.seal(key, version, tenant, purpose, plaintext).toString());
        }
        return new Sealed(version, out);
    }

    /**
     * Opens versioned ciphertexts and, when legacy keys are configured, the earlier system's Fernet tokens (which
     * carry no tenant or purpose: rewrap binds them to the caller's).
     */
    private Uni<List<byte[]>> open(TenantId tenant, String purpose, List<String> texts) {
        List<Ciphertext> parsed = new ArrayList<>();
        for (String text : texts) {
            if (!Ciphertext.looksVersioned(text) && Fernet.looksLikeToken(text) && !legacy.keys().isEmpty()) {
                parsed.add(null); // a legacy token, opened below
            } else {
                parsed.add(Ciphertext.parse(text));
            }
        }
        // A batch uses few versions: resolve each once, then open every item without further waiting.
        List<Integer> versions = parsed.stream().filter(java.util.Objects::nonNull).map(Ciphertext::version)
                .distinct().toList();
        Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
        Uni<Void> resolved = Uni.createFrom().voidItem();
        for (int version : versions) {
            resolved = resolved.chain(() -> keyring.decryptionKey(version).invoke(key -> keys.put(version, key)))
                    .replaceWithVoid();
        }
        return resolved.map(ignored -> {
            List<byte[]> out = new ArrayList<>(parsed.size());
            for (int i = 0; i < parsed.size(); i++) {
                Ciphertext ciphertext = parsed.get(i);
                out.add(ciphertext == null
                        ? Fernet.decrypt(legacy.keys(), texts.get(i), java.util.Optional.empty(), Instant.now())
                        : Envelope.open(keys.get(ciphertext.version()), ciphertext, tenant, purpose));
            }
            return out;
        }).invoke(out -> audit("decrypt", tenant, purpose, versions.stream().mapToInt(Integer::intValue).max()
                .orElse(0), texts.size(), parsed.contains(null) ? "ok:legacy" : "ok"));
    }

    private <T> Uni<T> measured(String op, TenantId tenant, String purpose, int items, Uni<T> work) {
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> work)
                .onFailure().invoke(failure -> audit(op, tenant, purpose, 0, items,
                        "refused:" + failure.getClass().getSimpleName()))
                .onItemOrFailure().invoke((result, failure) -> {
                    registry.counter("cs.crypto.operations", "op", op, "outcome", failure == null ? "ok" : "refused")
                            .increment();
                    timers.get(op).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                });
    }

    private static void audit(String op, TenantId tenant, String purpose, int version, int items, String outcome) {
        AUDIT.infof("op=%s tenant=%s purpose=%s keyVersion=%d items=%d outcome=%s", op, tenant, purpose, version,
                items, outcome);
    }
}
