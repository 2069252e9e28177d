package io.cloudsentinel.crypto.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.CryptoProblems;
import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.repository.KeyPolicyRepository;
import io.cloudsentinel.crypto.repository.KeyVersion;
import io.cloudsentinel.crypto.store.KeyVersionInserts;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Adds key versions — asked by an operator, when the newest is older than the rotation period, or when it reached its
 * encryption budget — and sets the minimum decryption version. Any number of replicas: conditional inserts make racing
 * rotations add one version, not one each.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Keyring keyring;
    private final TenantTransactions transactions;
    private final KeyVersionInserts inserts;
    private final KeyPolicyRepository policy;
    private final CryptoConfig config;

    public KeyRotation(Keyring keyring, TenantTransactions transactions, KeyVersionInserts inserts,
            KeyPolicyRepository policy, CryptoConfig config) {
        this.keyring = keyring;
        this.transactions = transactions;
        this.inserts = inserts;
        this.policy = policy;
        this.config = config;
    }

    /**
     * A new database gets its first version at start-up, once the key-encryption key is derived; replicas starting
     * together add one version 1, not one version each.
     */
    void start(@Observes @Priority(2) StartupEvent startup) {
        if (keyring.newest() == 0) {
            rotateAfter(0).await().indefinitely();
        }
    }

    /** Rotates when the newest version is older than the rotation period (any replica; one rotation results). */
    @Scheduled(every = "${cs.crypto.rotation-check:1h}", delayed = "${cs.crypto.rotation-check:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rotateWhenOld() {
        return keyring.stored().chain(all -> {
            if (all.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            KeyVersion newest = all.get(all.size() - 1);
            if (newest.createdAt.plus(config.rotationPeriod()).isAfter(Instant.now())) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("key version %d is older than %s; rotating", newest.version, config.rotationPeriod());
            return rotateAfter(newest.version);
        }).onFailure().invoke(failure -> LOG.warn("automatic rotation failed; retrying at the next check", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Adds {@code expected + 1} unless another replica already rotated past {@code expected}. */
    Uni<Void> rotateAfter(int expected) {
        Keyring.Wrapped wrapped = newDataKey(expected + 1);
        return transactions.asSystem(Keyring.TASK,
                connection -> inserts.insertIfNewest(connection, expected, wrapped.key(), wrapped.masterKeyId(),
                        wrapped.iterations()))
                .invoke(inserted -> {
                    if (inserted) {
                        LOG.infof("rotated automatically: key version %d now encrypts", expected + 1);
                    }
                })
                .chain(keyring::reload);
    }

    /** Adds a new newest version with a fresh random data key. */
    public Uni<Integer> rotate() {
        int next = keyring.newest() + 1;
        Keyring.Wrapped wrapped = newDataKey(next);
        return transactions.asSystem(Keyring.TASK,
                connection -> inserts.insert(connection, next, wrapped.key(), wrapped.masterKeyId(),
                        wrapped.iterations()))
                .chain(inserted -> keyring.reload().chain(() -> inserted
                        ? Uni.createFrom().item(next)
                        : rotate())) // another replica took the number: try the one after
                .invoke(version -> LOG.infof("rotated: key version %d now encrypts", version));
    }

    /**
     * Ciphertexts below the version stop decrypting (they should have been rewrapped). The minimum only rises: lowering
     * it lets retired versions decrypt again, so it takes {@code breakGlass} and is logged at WARN with the caller.
     */
    public Uni<Void> setMinDecryptionVersion(int version, boolean breakGlass, TenantContext caller) {
        int newest = keyring.newest();
        if (version < 1 || version > newest) {
            return Uni.createFrom().failure(CryptoProblems.minDecryptionVersionOutOfRange(newest));
        }
        return transactions.asSystemSession(Keyring.TASK, session -> policy.currentForUpdate().map(current -> {
            int previous = current.minDecryptionVersion;
            if (version < previous && !breakGlass) {
                throw CryptoProblems.minDecryptionVersionRaiseOnly(previous, version);
            }
            current.minDecryptionVersion = version;
            current.updatedAt = Instant.now();
            return previous;
        })).invoke(previous -> {
            if (version < previous) {
                LOG.warnf("break-glass: minimum decryption version lowered from %d to %d by user %s of tenant %s;"
                        + " retired key versions decrypt again", previous, version, caller.userId(), caller.tenant());
            } else {
                LOG.infof("minimum decryption version set to %d by user %s of tenant %s", version, caller.userId(),
                        caller.tenant());
            }
        }).call(keyring::reload).replaceWithVoid();
    }

    private Keyring.Wrapped newDataKey(int version) {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        try {
            return keyring.wrap(version, dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }
}
