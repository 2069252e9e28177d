package io.cloudsentinel.crypto.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.store.RewrappedKeyWrites;
import io.cloudsentinel.crypto.store.RootRotationClaims;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * Rewraps every stored data key (the keys of every tenant's ciphertexts) under the current master key and iteration
 * count, so that the previous master key can be removed. The data keys do not change, so no ciphertext does. Bounded
 * batches, each one transaction that claims versions in order with row locks: a rerun finds nothing to do, and runs on
 * several replicas at once share the versions, each rewrapped exactly once.
 */
@ApplicationScoped
public class RootRotation {

    private static final Logger LOG = Logger.getLogger(RootRotation.class);
    static final SystemTask TASK = new SystemTask("key-root-rotation");

    /**
     * What one run did: data keys it rewrapped; versions still not under the current master key and count after it
     * (being rewrapped by a concurrent run, or not opening here), of how many; what they are now wrapped under.
     */
    public record Outcome(int rewrapped, int remaining, int versions, String masterKeyId, int kdfIterations) {
    }

    private record Batch(int claimed, int rewrapped, int lastVersion) {
    }

    private final Keyring keyring;
    private final TenantTransactions transactions;
    private final RootRotationClaims claims;
    private final RewrappedKeyWrites writes;
    private final CryptoConfig config;

    public RootRotation(Keyring keyring, TenantTransactions transactions, RootRotationClaims claims,
            RewrappedKeyWrites writes, CryptoConfig config) {
        this.keyring = keyring;
        this.transactions = transactions;
        this.claims = claims;
        this.writes = writes;
        this.config = config;
    }

    public Uni<Outcome> rotateRoot(TenantContext operator) {
        String target = keyring.currentMasterKeyId();
        int iterations = keyring.kdfIterations();
        return Uni.createFrom().deferred(() -> {
            LOG.infof("root rotation started by user %s of tenant %s: every data key goes under master key %s with %d"
                    + " PBKDF2 iterations", operator.userId(), operator.tenant(), target, iterations);
            // first hold the key-encryption key of every recorded (master key, iterations), derived off the event loop
            return keyring.reload().chain(() -> batchesAfter(0, 0, target, iterations));
        }).chain(rewrapped -> keyring.stored().map(all -> new Outcome(rewrapped,
                (int) all.stream().filter(v -> !keyring.isCurrent(v.masterKeyId, v.kdfIterations)).count(),
                all.size(), target, iterations)))
                .invoke(outcome -> LOG.infof("root rotation by user %s of tenant %s: %d data keys rewrapped under"
                        + " master key %s with %d PBKDF2 iterations; %d of %d key versions remain", operator.userId(),
                        operator.tenant(), outcome.rewrapped(), target, iterations, outcome.remaining(),
                        outcome.versions()))
                .onFailure().invoke(failure -> LOG.errorf("root rotation by user %s of tenant %s failed: %s",
                        operator.userId(), operator.tenant(), failure.toString()));
    }

    /** One batch after {@code after}, then the next, until a claim finds nothing: the rewrapped count. */
    private Uni<Integer> batchesAfter(int after, int rewrappedSoFar, String target, int iterations) {
        return transactions.asSystem(TASK, connection -> claims
                .claim(connection, target, iterations, after, config.rootRotationBatch())
                .chain(claimed -> {
                    List<RewrappedKeyWrites.Rewrapped> rewrapped = new ArrayList<>();
                    for (RootRotationClaims.Claimed row : claimed) {
                        Optional<Keyring.Wrapped> now = keyring.rewrapUnderCurrent(row.version(), row.wrappedKey(),
                                row.masterKeyId(), row.kdfIterations());
                        if (now.isEmpty()) {
                            // left as it is, counted in the outcome as remaining
                            LOG.warnf("root rotation: key version %d does not open on this replica; left as it is",
                                    row.version());
                            continue;
                        }
                        rewrapped.add(new RewrappedKeyWrites.Rewrapped(row.version(), row.wrappedKey(),
                                now.get().key(), now.get().masterKeyId(), now.get().iterations()));
                    }
                    int last = claimed.isEmpty() ? after : claimed.get(claimed.size() - 1).version();
                    return writes.write(connection, rewrapped).map(written -> new Batch(claimed.size(), written,
                            last));
                }))
                .chain(batch -> batch.claimed() == 0 ? Uni.createFrom().item(rewrappedSoFar)
                        : batchesAfter(batch.lastVersion(), rewrappedSoFar + batch.rewrapped(), target, iterations));
    }
}
