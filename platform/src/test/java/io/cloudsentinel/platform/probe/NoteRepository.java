package io.cloudsentinel.platform.probe;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Notes as a service's repository reads them: Panache, with the session the current Vert.x context holds. */
@ApplicationScoped
public class NoteRepository implements PanacheRepository<Note> {

    public Uni<List<String>> bodies() {
        return find("order by id").project(BodyOnly.class).list()
                .map(rows -> rows.stream().map(BodyOnly::body).toList());
    }

    /** A defect on purpose: Panache's own transaction, which no tenant entered. */
    @WithTransaction
    public Uni<List<Note>> allWithoutTheTenantEntry() {
        return listAll();
    }

    public record BodyOnly(String body) {
    }
}
