package io.cloudsentinel.crypto.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** The single key policy row (created by the migration). */
@ApplicationScoped
public class KeyPolicyRepository implements PanacheRepositoryBase<KeyPolicy, Boolean> {

    public Uni<KeyPolicy> current() {
        return findById(true);
    }

    /** The row locked until the transaction ends: a change decided on what it read cannot race another replica's. */
    public Uni<KeyPolicy> currentForUpdate() {
        return findById(true, LockModeType.PESSIMISTIC_WRITE);
    }
}
