package io.cloudsentinel.crypto.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Key versions, oldest first. */
@ApplicationScoped
public class KeyVersionRepository implements PanacheRepositoryBase<KeyVersion, Integer> {

    public Uni<List<KeyVersion>> allInOrder() {
        return listAll(Sort.by("version"));
    }
}
