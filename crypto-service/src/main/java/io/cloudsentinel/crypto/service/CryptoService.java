package io.cloudsentinel.crypto.service;

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

    private final Keyring keyring;
    private final MeterRegistry registry;

    public CryptoService(Keyring keyring, MeterRegistry registry) {
        this.keyring = keyring;
        this.registry = registry;
    }

    public Uni<Sealed> encrypt(TenantId tenant, String purpose, List<byte[]> plaintexts) {
        return measured("encrypt", tenant, purpose, plaintexts.size(),
                keyring.reserveForEncryption(plaintexts.size()).map(version -> seal(tenant, purpose, version,
                        plaintexts)).invoke(sealed -> audit("encrypt", tenant, purpose, sealed.version(),
                                plaintexts.size(), "ok")));
    }

    public Uni<List<byte[]>> decrypt(TenantId tenant, String purpose, List<String> ciphertexts) {
        return measured("decrypt", tenant, purpose, ciphertexts.size(), open(tenant, purpose, ciphertexts));
    }

    /** The same data under the newest version; the plaintext stays inside this method. */
    public Uni<Sealed> rewrap(TenantId tenant, String purpose, List<String> ciphertexts) {
        return measured("rewrap", tenant, purpose, ciphertexts.size(), open(tenant, purpose, ciphertexts)
                .chain(plaintexts -> keyring.reserveForEncryption(plaintexts.size())
                        .map(version -> seal(tenant, purpose, version, plaintexts)))
                .invoke(sealed -> audit("rewrap", tenant, purpose, sealed.version(), ciphertexts.size(), "ok")));
    }

    private Sealed seal(TenantId tenant, String purpose, int version, List<byte[]> plaintexts) {
        var key = keyring.encryptionKey(version);
        List<String> out = new ArrayList<>(plaintexts.size());
        for (byte[] plaintext : plaintexts) {
            out.add(Envelope.seal(key, version, tenant, purpose, plaintext).toString());
        }
        return new Sealed(version, out);
    }

    private Uni<List<byte[]>> open(TenantId tenant, String purpose, List<String> texts) {
        List<Ciphertext> parsed = texts.stream().map(Ciphertext::parse).toList();
        // A batch uses few versions: resolve each once, then open every item without further waiting.
        List<Integer> versions = parsed.stream().map(Ciphertext::version).distinct().toList();
        Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
        Uni<Void> resolved = Uni.createFrom().voidItem();
        for (int version : versions) {
            resolved = resolved.chain(() -> keyring.decryptionKey(version).invoke(key -> keys.put(version, key)))
                    .replaceWithVoid();
        }
        return resolved.map(ignored -> {
            List<byte[]> out = new ArrayList<>(parsed.size());
            for (Ciphertext ciphertext : parsed) {
                out.add(Envelope.open(keys.get(ciphertext.version()), ciphertext, tenant, purpose));
            }
            return out;
        }).invoke(out -> audit("decrypt", tenant, purpose, versions.stream().mapToInt(Integer::intValue).max()
                .orElse(0), texts.size(), "ok"));
    }

    private <T> Uni<T> measured(String op, TenantId tenant, String purpose, int items, Uni<T> work) {
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> work)
                .onFailure().invoke(failure -> audit(op, tenant, purpose, 0, items,
                        "refused:" + failure.getClass().getSimpleName()))
                .onItemOrFailure().invoke((result, failure) -> {
                    registry.counter("cs.crypto.operations", "op", op, "outcome", failure == null ? "ok" : "refused")
                            .increment();
                    Timer.builder("cs.crypto.operation.duration").tag("op", op).publishPercentileHistogram()
                            .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                });
    }

    private static void audit(String op, TenantId tenant, String purpose, int version, int items, String outcome) {
        AUDIT.infof("op=%s tenant=%s purpose=%s keyVersion=%d items=%d outcome=%s", op, tenant, purpose, version,
                items, outcome);
    }
}
