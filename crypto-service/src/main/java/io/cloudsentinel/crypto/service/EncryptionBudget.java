package io.cloudsentinel.crypto.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.store.EncryptionReservations;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * Counts encryptions per key version before any is produced (the nonce budget of AES-GCM with random nonces): each
 * replica reserves blocks in the database and hands them out; a version that would pass its budget is rotated first.
 */
@ApplicationScoped
public class EncryptionBudget {

    private static final Logger LOG = Logger.getLogger(EncryptionBudget.class);

    private final Keyring keyring;
    private final KeyRotation rotation;
    private final TenantTransactions transactions;
    private final EncryptionReservations reservations;
    private final CryptoConfig config;
    private long blockVersion;
    private long blockRemaining;

    public EncryptionBudget(Keyring keyring, KeyRotation rotation, TenantTransactions transactions,
            EncryptionReservations reservations, CryptoConfig config) {
        this.keyring = keyring;
        this.rotation = rotation;
        this.transactions = transactions;
        this.reservations = reservations;
        this.config = config;
    }

    /** The version that may encrypt {@code count} more items. */
    public Uni<Integer> reserve(int count) {
        if (count > config.maxEncryptionsPerVersion()) {
            // no version could take it: rotating would add versions without end
            return Uni.createFrom().failure(new IllegalArgumentException(
                    count + " encryptions exceed the budget of a key version"));
        }
        int version = keyring.newest();
        synchronized (this) {
            if (blockVersion == version && blockRemaining >= count) {
                blockRemaining -= count;
                return Uni.createFrom().item(version);
            }
        }
        long block = Math.min(Math.max(count, config.reservationBlock()), config.maxEncryptionsPerVersion());
        return transactions.asSystem(Keyring.TASK, connection -> reservations.reserve(connection, version, block))
                .chain(total -> {
                    if (total > config.maxEncryptionsPerVersion()) {
                        LOG.infof("key version %d reached its encryption budget; rotating", version);
                        return rotation.rotateAfter(version).chain(() -> reserve(count));
                    }
                    synchronized (this) {
                        blockVersion = version;
                        blockRemaining = block - count;
                    }
                    return Uni.createFrom().item(version);
                });
    }
}
