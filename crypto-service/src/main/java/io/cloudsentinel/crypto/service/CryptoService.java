package io.cloudsentinel.crypto.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.Ciphertext;
import io.cloudsentinel.crypto.CryptoProblems;
import io.cloudsentinel.crypto.Envelope;
import io.cloudsentinel.crypto.Fernet;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Encrypt, decrypt and rewrap for the calling tenant and a purpose. Every operation is audited (tenant, purpose,
 * key version, item count, outcome, caller) and counted; plaintext and key material never reach a log.
 */
// created at start, so that its meters exist before the first call
@Startup
@ApplicationScoped
public class CryptoService {

    private static final Logger AUDIT = Logger.getLogger("io.cloudsentinel.crypto.audit");

    /** Ciphertexts and the key version that made them. */
    public record Sealed(int version, List<String> ciphertexts) {
    }

    /**
     * The keyring as an operator sees it: the version that encrypts, the lowest that decrypts, the master key and
     * iteration count new data keys are wrapped under (an id, never the key), every version.
     */
    public record Keys(int currentVersion, int minDecryptionVersion, String masterKeyId, int kdfIterations,
            List<Keyring.VersionInfo> versions) {
    }

    private record Opened(List<byte[]> plaintexts, int version, boolean legacy) {
    }

    private final Keyring keyring;
    private final KeyRotation rotation;
    private final RootRotation rootRotation;
    private final EncryptionBudget budget;
    private final LegacyKeys legacy;
    private final MeterRegistry registry;
    // Built once: a Timer.builder(...).register(...) per operation was a lookup on the hot path.
    private final Map<String, Timer> timers;

    public CryptoService(Keyring keyring, KeyRotation rotation, RootRotation rootRotation, EncryptionBudget budget,
            LegacyKeys legacy, MeterRegistry registry) {
        this.keyring = keyring;
        this.rotation = rotation;
        this.rootRotation = rootRotation;
        this.budget = budget;
        this.legacy = legacy;
        this.registry = registry;
        this.timers = Map.of("encrypt", timer(registry, "encrypt"), "decrypt", timer(registry, "decrypt"), "rewrap",
                timer(registry, "rewrap"));
    }

    private static Timer timer(MeterRegistry registry, String op) {
        // the operation counters exist at 0 from the start too, for rate() on the dashboard
        for (String outcome : List.of("ok", "refused")) {
            registry.counter("cs.crypto.operations", "op", op, "outcome", outcome);
        }
        return Timer.builder("cs.crypto.operation.duration").tag("op", op).publishPercentileHistogram()
                .register(registry);
    }

    /** A token of the earlier system, told by its form alone. */
    public static boolean isLegacyToken(String text) {
        return !Ciphertext.looksVersioned(text) && Fernet.looksLikeToken(text);
    }

    /** Seals for the caller's tenant. */
    public Uni<Sealed> encrypt(TenantContext caller, String purpose, List<byte[]> plaintexts) {
        TenantId tenant = caller.tenant();
        return measured("encrypt", caller, tenant, purpose, plaintexts.size(),
                budget.reserve(plaintexts.size()).map(version -> seal(tenant, purpose, version,
                        plaintexts)).invoke(sealed -> audit("encrypt", caller, tenant, purpose, sealed.version(),
                                plaintexts.size(), "ok")));
    }

    /**
     * Opens for the caller's tenant (one {@code ciphertext}, or {@code items} for a batch); never a legacy token (see
     * {@link CryptoProblems#legacyTokenNeedsRewrap}).
     */
    public Uni<List<byte[]>> decrypt(TenantContext caller, String purpose, List<String> ciphertexts, boolean batch) {
        TenantId tenant = caller.tenant();
        return measured("decrypt", caller, tenant, purpose, ciphertexts.size(),
                Uni.createFrom().deferred(() -> {
                    for (int i = 0; i < ciphertexts.size(); i++) {
                        if (isLegacyToken(ciphertexts.get(i))) {
                            throw CryptoProblems.legacyTokenNeedsRewrap(batch ? "items[" + i + "]" : "ciphertext");
                        }
                    }
                    return open(tenant, purpose, ciphertexts);
                })
                        .invoke(opened -> audit("decrypt", caller, tenant, purpose, opened.version(),
                                ciphertexts.size(), "ok"))
                        .map(Opened::plaintexts));
    }

    /**
     * The same data under the newest version, for {@code tenant} (the caller's, unless a platform-admin named
     * another); the plaintext stays inside this method. Legacy tokens, which carry no tenant, become ciphertexts of
     * {@code tenant} here and only here, for a migration principal: a service (for the tenant of its signed context)
     * or a platform-admin who named the tenant.
     */
    public Uni<Sealed> rewrap(TenantContext caller, Optional<TenantId> named, String purpose,
            List<String> ciphertexts) {
        TenantId tenant = named.orElse(caller.tenant());
        return measured("rewrap", caller, tenant, purpose, ciphertexts.size(), Uni.createFrom().deferred(() -> {
            if (!tenant.equals(caller.tenant()) && !caller.hasRole(Roles.PLATFORM_ADMIN)) {
                throw CryptoProblems.otherTenantForbidden();
            }
            boolean legacyTokens = ciphertexts.stream().anyMatch(CryptoService::isLegacyToken);
            if (legacyTokens) {
                if (!caller.hasRole(Roles.SERVICE) && !caller.hasRole(Roles.PLATFORM_ADMIN)) {
                    throw CryptoProblems.legacyRewrapForbidden();
                }
                if (!caller.hasRole(Roles.SERVICE) && named.isEmpty()) {
                    throw CryptoProblems.tenantRequiredForLegacyTokens();
                }
            }
            return open(tenant, purpose, ciphertexts);
        }).chain(opened -> budget.reserve(opened.plaintexts().size())
                .map(version -> seal(tenant, purpose, version, opened.plaintexts()))
                .invoke(sealed -> audit("rewrap", caller, tenant, purpose, sealed.version(), ciphertexts.size(),
                        opened.legacy() ? "ok:legacy" : "ok"))));
    }

    public Uni<Keys> keys() {
        return keyring.describe().map(versions -> new Keys(keyring.newest(), keyring.minDecryptionVersion(),
                keyring.currentMasterKeyId(), keyring.kdfIterations(), versions));
    }

    /** Adds a version that encrypts from now on; older versions keep decrypting. */
    public Uni<Keys> rotateKeys() {
        return rotation.rotate().chain(this::keys);
    }

    /** Every data key under the current master key and iteration count; logged with the operator. */
    public Uni<RootRotation.Outcome> rotateRoot(TenantContext operator) {
        return rootRotation.rotateRoot(operator);
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
     * Opens versioned ciphertexts and the earlier system's Fernet tokens (callers decided that the tokens may be
     * opened: only to rewrap them), with the highest key version opened, for the audit.
     */
    private Uni<Opened> open(TenantId tenant, String purpose, List<String> texts) {
        List<Ciphertext> parsed = new ArrayList<>();
        for (String text : texts) {
            parsed.add(isLegacyToken(text) ? null : Ciphertext.parse(text)); // null: a legacy token, opened below
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
                        ? Fernet.decrypt(legacy.keys(), texts.get(i), Optional.empty(), Instant.now())
                        : Envelope.open(keys.get(ciphertext.version()), ciphertext, tenant, purpose));
            }
            return new Opened(out, versions.stream().mapToInt(Integer::intValue).max().orElse(0),
                    parsed.contains(null));
        });
    }

    private <T> Uni<T> measured(String op, TenantContext caller, TenantId tenant, String purpose, int items,
            Uni<T> work) {
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> work)
                .onFailure().invoke(failure -> audit(op, caller, tenant, purpose, 0, items,
                        "refused:" + failure.getClass().getSimpleName()))
                .onItemOrFailure().invoke((result, failure) -> {
                    registry.counter("cs.crypto.operations", "op", op, "outcome", failure == null ? "ok" : "refused")
                            .increment();
                    timers.get(op).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                });
    }

    private static void audit(String op, TenantContext caller, TenantId tenant, String purpose, int version,
            int items, String outcome) {
        AUDIT.infof("op=%s tenant=%s purpose=%s keyVersion=%d items=%d outcome=%s by=%s", op, tenant, purpose,
                version, items, outcome, caller.userId());
    }
}
