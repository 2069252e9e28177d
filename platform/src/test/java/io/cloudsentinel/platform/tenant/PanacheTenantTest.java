package io.cloudsentinel.platform.tenant;

import static io.cloudsentinel.platform.Reactive.await;
import static io.cloudsentinel.platform.Reactive.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.probe.Note;
import io.cloudsentinel.platform.probe.NoteRepository;
import io.cloudsentinel.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Panache repositories inside a tenant transaction see the tenant; Panache's own transactions have none. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PanacheTenantTest {

    @Inject
    TenantTransactions transactions;
    @Inject
    NoteRepository notes;

    @Test
    void aRepositoryReadInsideATenantSessionSeesTheTenantsRowsOnly() {
        TenantId a = TenantId.random();
        TenantId b = TenantId.random();
        await(() -> transactions.inTenantSession(a, session -> notes.persist(Note.of(a.value(), "a1"))));
        await(() -> transactions.inTenantSession(b, session -> notes.persist(Note.of(b.value(), "b1"))));

        List<String> seenByA = await(() -> transactions.inTenantSession(a, session -> notes.bodies()));
        long countedByB = await(() -> transactions.inTenantSession(b, session -> notes.count()));

        assertThat(seenByA).containsExactly("a1");
        assertThat(countedByB).isEqualTo(1);
    }

    @Test
    void aBareWithTransactionFailsWithTheMissingContextError() {
        Throwable failure = failureOf(notes::allWithoutTheTenantEntry);

        assertThat(PgErrors.isTenantContextMissing(failure)).as("PostgreSQL raised CS001: %s", failure).isTrue();
    }

    @Test
    void aNestedTenantSessionHasItsOwnSessionAndLeavesTheOuterTenantAlone() {
        TenantId outer = TenantId.random();
        TenantId inner = TenantId.random();
        await(() -> transactions.inTenantSession(outer, session -> notes.persist(Note.of(outer.value(), "outer"))));
        await(() -> transactions.inTenantSession(inner, session -> notes.persist(Note.of(inner.value(), "inner"))));

        List<List<String>> seen = await(() -> transactions.inTenantSession(outer, session -> notes.bodies()
                .chain(before -> transactions.inTenantSession(inner, innerSession -> notes.bodies())
                        .chain(nested -> notes.bodies().map(after -> List.of(before, nested, after))))));

        assertThat(seen.get(0)).containsExactly("outer");
        assertThat(seen.get(1)).containsExactly("inner");
        assertThat(seen.get(2)).as("the outer transaction after the nested one").containsExactly("outer");
    }

    @Test
    void afterARetriedNestedTransactionTheOuterWorkGoesOnWithItsOwnSession() {
        TenantId outer = TenantId.random();
        TenantId inner = TenantId.random();
        await(() -> transactions.inTenantSession(outer, session -> notes.persist(Note.of(outer.value(), "outer"))));
        AtomicInteger attempts = new AtomicInteger();

        List<String> after = await(() -> transactions.inTenantSession(outer, session -> transactions
                .inTenantSession(inner, innerSession -> attempts.incrementAndGet() == 1
                        ? Uni.createFrom().failure(new PgException("lost a race", "ERROR", "40001", "retried"))
                        : notes.count())
                // back on the outer work's context: its Panache session is still the one it reads with
                .chain(ignored -> notes.bodies())));

        assertThat(attempts).hasValue(2);
        assertThat(after).containsExactly("outer");
    }
}
