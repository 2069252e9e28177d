package io.cloudsentinel.platform.crypto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.platform.crypto.SealedValuePages.SealedValue;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * After a key rotation, every secret a service stores (its {@link SealedColumn}s) rewrapped under crypto-service's
 * newest key version: Vault's rewrap step, done by the owner of the ciphertexts, since crypto-service keeps none. The
 * plaintext never leaves crypto-service. Ciphertexts are read a page at a time on the system path (the service's own
 * task, which its migration grants read on each table); each rewrapped one is written back in its tenant's
 * transaction only where it is still the one read ({@link SealedValueSwap}). A ciphertext that crypto-service refuses
 * (its version retired already) is named in the report and the run goes on; crypto-service unavailable ends the run
 * ({@link CryptoUnavailableException}, a 503), and a run again skips what is current. The report's
 * {@code oldestKeyVersion} is read after the run: the minimum decryption version may be raised to it.
 */
@ApplicationScoped
public class StoredSecretRewrap {

    private static final Logger LOG = Logger.getLogger(StoredSecretRewrap.class);
    private static final int PAGE = 200;
    /** crypto-service calls in flight at once: enough to hide its latency, few enough not to crowd it. */
    private static final int CONCURRENCY = 4;

    /** What a run did. {@code oldestKeyVersion}: the oldest version stored after it (null: none stored). */
    public record Report(int examined, int rewrapped, int alreadyCurrent, int changedMeanwhile, List<Refusal> refused,
            Integer oldestKeyVersion) {
    }

    /** A ciphertext crypto-service would not rewrap: whose, and which secret ({@code table.column}). */
    public record Refusal(UUID tenant, String secret) {
    }

    private enum Outcome {
        REWRAPPED,
        CURRENT,
        CHANGED,
        REFUSED
    }

    private record Done(SealedColumn column, SealedValue value, Outcome outcome) {
    }

    private final TenantTransactions transactions;
    private final TenantSecrets secrets;
    private final SealedValuePages pages;
    private final SealedValueSwap swap;

    StoredSecretRewrap(TenantTransactions transactions, TenantSecrets secrets, SealedValuePages pages,
            SealedValueSwap swap) {
        this.transactions = transactions;
        this.secrets = secrets;
        this.pages = pages;
        this.swap = swap;
    }

    /**
     * Every value of the columns, one column after the other, under the service's {@code task} (granted read on the
     * columns' tables; carrying the operator who asked).
     */
    public Uni<Report> run(SystemTask task, List<SealedColumn> columns) {
        String operator = task.operator().orElse("none");
        List<Done> done = new ArrayList<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (SealedColumn column : columns) {
            all = all.chain(() -> pagesFrom(task, column, null, done));
        }
        return all.chain(() -> oldest(task, columns))
                .map(oldest -> report(done, oldest))
                .invoke(report -> LOG.infof("stored secrets %s rewrapped for operator %s: %d examined, %d rewrapped,"
                        + " %d already current, %d changed meanwhile, %d refused, oldest key version now %s",
                        columns.stream().map(SealedColumn::name).toList(), operator, report.examined(),
                        report.rewrapped(), report.alreadyCurrent(), report.changedMeanwhile(),
                        report.refused().size(), report.oldestKeyVersion()));
    }

    private Uni<Void> pagesFrom(SystemTask task, SealedColumn column, SealedValue after, List<Done> done) {
        return transactions.asSystem(task, connection -> pages.after(connection, column, after, PAGE))
                .chain(page -> {
                    if (page.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return Multi.createFrom().iterable(page).onItem().transformToUni(value -> rewrap(column, value))
                            .merge(CONCURRENCY).collect().asList()
                            .chain(results -> {
                                done.addAll(results);
                                return page.size() < PAGE ? Uni.createFrom().voidItem()
                                        : pagesFrom(task, column, page.get(page.size() - 1), done);
                            });
                });
    }

    private Uni<Done> rewrap(SealedColumn column, SealedValue value) {
        TenantId tenant = TenantId.parse(value.tenant().toString());
        return secrets.rewrap(tenant, column.purpose(), value.ciphertext())
                .chain(rewrapped -> {
                    if (TenantSecrets.keyVersion(rewrapped).equals(TenantSecrets.keyVersion(value.ciphertext()))) {
                        return Uni.createFrom().item(new Done(column, value, Outcome.CURRENT));
                    }
                    return transactions.inTenant(tenant, connection -> swap.swap(connection, column,
                            value.ciphertext(), rewrapped))
                            .map(rows -> new Done(column, value, rows > 0 ? Outcome.REWRAPPED : Outcome.CHANGED));
                })
                .onFailure(SecretRefusedException.class)
                .recoverWithItem(refused -> new Done(column, value, Outcome.REFUSED));
    }

    private Uni<OptionalInt> oldest(SystemTask task, List<SealedColumn> columns) {
        return transactions.asSystem(task, connection -> {
            Uni<OptionalInt> oldest = Uni.createFrom().item(OptionalInt.empty());
            for (SealedColumn column : columns) {
                oldest = oldest.chain(sofar -> pages.oldestVersion(connection, column)
                        .map(found -> older(sofar, found)));
            }
            return oldest;
        });
    }

    private static OptionalInt older(OptionalInt one, OptionalInt other) {
        if (one.isEmpty()) {
            return other;
        }
        return other.isPresent() && other.getAsInt() < one.getAsInt() ? other : one;
    }

    private static Report report(List<Done> done, OptionalInt oldest) {
        int rewrapped = 0;
        int current = 0;
        int changed = 0;
        List<Refusal> refused = new ArrayList<>();
        for (Done one : done) {
            switch (one.outcome()) {
                case REWRAPPED -> rewrapped++;
                case CURRENT -> current++;
                case CHANGED -> changed++;
                case REFUSED -> refused.add(new Refusal(one.value().tenant(), one.column().name()));
            }
        }
        refused.sort(Comparator.comparing(Refusal::tenant).thenComparing(Refusal::secret));
        return new Report(done.size(), rewrapped, current, changed, List.copyOf(refused),
                oldest.isPresent() ? oldest.getAsInt() : null);
    }
}
