package io.cloudsentinel.jobs.service;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.costs.ImportRejection;
import io.cloudsentinel.jobs.store.CostImportRead;
import io.cloudsentinel.jobs.store.CostSettingsRead;
import io.cloudsentinel.jobs.store.CostSummaryRead;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/** The tenant's imports and cost summaries as the API reads them, each in a transaction of the tenant. */
@ApplicationScoped
public class CostQueries {

    public static final URI IMPORT_NOT_FOUND = ProblemTypes.of("import-not-found");
    public static final URI TAG_NOT_DECLARED = ProblemTypes.of("tag-not-declared");

    /** An import with its first rejected rows. */
    public record ImportDetail(CostImportRead.CostImport costImport, List<ImportRejection> rejected) {
    }

    private final TenantTransactions transactions;
    private final CostImportRead imports;
    private final CostSummaryRead summaries;
    private final CostSettingsRead settings;

    public CostQueries(TenantTransactions transactions, CostImportRead imports, CostSummaryRead summaries,
            CostSettingsRead settings) {
        this.transactions = transactions;
        this.imports = imports;
        this.summaries = summaries;
        this.settings = settings;
    }

    public Uni<List<CostImportRead.CostImport>> imports(TenantId tenant, Optional<String> source,
            Optional<CostImportRead.After> after, int rows) {
        return transactions.inTenant(tenant, connection -> imports.page(connection, tenant, source, after, rows));
    }

    /** @throws ProblemException 404 {@code import-not-found}: none of the tenant's */
    public Uni<ImportDetail> importDetail(TenantId tenant, UUID id) {
        return transactions.inTenant(tenant, connection -> imports.one(connection, tenant, id)
                .chain(found -> found.isEmpty() ? Uni.createFrom().failure(notFound(id))
                        : imports.rejected(connection, tenant, id)
                                .map(rejected -> new ImportDetail(found.get(), rejected))));
    }

    public Uni<List<CostSummaryRead.Sum>> summary(TenantId tenant, LocalDate from, LocalDate to,
            CostSummaryRead.Dimension dimension) {
        return transactions.inTenant(tenant, connection -> summaries.by(connection, tenant, from, to, dimension));
    }

    /** @throws ProblemException 422 {@code tag-not-declared}: only declared keys have aggregates */
    public Uni<List<CostSummaryRead.Sum>> summaryByTag(TenantId tenant, LocalDate from, LocalDate to,
            String tagKey) {
        return transactions.inTenant(tenant, connection -> settings.of(connection, tenant).chain(declared -> {
            if (!declared.tagKeys().contains(tagKey)) {
                return Uni.createFrom().failure(new ProblemException(Problem.of(TAG_NOT_DECLARED, 422,
                        "Tag not declared", "the tag key '" + tagKey + "' is not one of the tenant's declared tag keys"
                                + " (PUT /api/v1/costs/settings tagKeys, at most 10): " + declared.tagKeys())
                        .with("declared", declared.tagKeys())));
            }
            return summaries.byTag(connection, tenant, from, to, tagKey);
        }));
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(IMPORT_NOT_FOUND, 404, "Import not found",
                "the tenant has no cost import " + id));
    }
}
