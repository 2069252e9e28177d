package io.cloudsentinel.crypto.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** The single key policy row (created by the migration). */
@ApplicationScoped
public class KeyPolicyRepository implements PanacheRepositoryBase<KeyPolicy, Boolean> {

    public Uni<KeyPolicy> current() {
        return findById(true);
    }
}
