package io.cloudsentinel.jobs.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.repository.TenantShare;
import io.cloudsentinel.jobs.repository.TenantShareRepository;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * Tenants' shares of the workers as platform admins read and set them. The admin acts on another tenant's row, so
 * this runs on the audited system path ({@code tenant-shares}), never in the admin's own tenant.
 */
@ApplicationScoped
public class TenantShares {

    private static final SystemTask TASK = new SystemTask("tenant-shares");
    static final int DEFAULT_WEIGHT = 1;

    /** A tenant's share; {@code updatedAt} absent while it has the defaults. */
    public record Share(TenantId tenant, int weight, int cap, Optional<Instant> updatedAt) {
    }

    private final TenantTransactions transactions;
    private final TenantShareRepository shares;
    private final JobsConfig config;
    private final Clock clock;

    public TenantShares(TenantTransactions transactions, TenantShareRepository shares, JobsConfig config,
            Clock clock) {
        this.transactions = transactions;
        this.shares = shares;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The tenant's share, or the defaults the claim applies to a tenant without a row (weight 1, default cap), for the
     * operator (a user id) who asked.
     */
    public Uni<Share> of(TenantId tenant, String operator) {
        return transactions.asSystemSession(TASK.forOperator(operator), session -> shares.findById(tenant.value()))
                .map(found -> found == null ? new Share(tenant, DEFAULT_WEIGHT, config.defaultCap(), Optional.empty())
                        : share(tenant, found));
    }

    public Uni<Share> set(TenantId tenant, int weight, int cap, String operator) {
        return transactions
                .asSystemSession(TASK.forOperator(operator), session -> shares.findById(tenant.value()).chain(found -> {
                    // stored to the microsecond: the answer shows what a later read shows
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    if (found != null) {
                        found.change(weight, cap, now);
                        return Uni.createFrom().item(found);
                    }
                    return shares.persist(TenantShare.of(tenant.value(), weight, cap, now));
                }))
                // two first settings at once: the one that lost the insert runs again and changes the other's row
                .onFailure(PgErrors::isUniqueViolation).retry().atMost(1)
                .map(saved -> share(tenant, saved));
    }

    private static Share share(TenantId tenant, TenantShare found) {
        return new Share(tenant, found.weight(), found.cap(), Optional.of(found.updatedAt()));
    }
}
