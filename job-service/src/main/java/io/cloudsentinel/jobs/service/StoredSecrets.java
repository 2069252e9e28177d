package io.cloudsentinel.jobs.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.WebhookSecret;
import io.cloudsentinel.jobs.repository.CostSource;
import io.cloudsentinel.platform.crypto.SealedColumn;
import io.cloudsentinel.platform.crypto.StoredSecretRewrap;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.smallrye.mutiny.Uni;

/** The secrets job-service stores sealed by crypto-service, and their rewrap after a key rotation. */
@ApplicationScoped
public class StoredSecrets {

    /** Every column that holds a ciphertext (V8 grants the rewrap task read on their tables). */
    static final List<SealedColumn> SEALED = List.of(
            new SealedColumn("webhook_settings", "secret_ciphertext", WebhookSecret.PURPOSE),
            new SealedColumn("webhook_settings", "previous_secret_ciphertext", WebhookSecret.PURPOSE),
            new SealedColumn("cost_sources", "url_ciphertext", CostSource.SECRET_PURPOSE),
            new SealedColumn("cost_sources", "header_ciphertext", CostSource.SECRET_PURPOSE));
    private static final SystemTask REWRAP = new SystemTask("secret-rewrap");

    private final StoredSecretRewrap rewrap;

    public StoredSecrets(StoredSecretRewrap rewrap) {
        this.rewrap = rewrap;
    }

    /**
     * Every tenant's stored secrets under crypto-service's newest key version, for the operator (a user id) who
     * asked; a secret a tenant sets or rotates meanwhile stays as it is set.
     */
    public Uni<StoredSecretRewrap.Report> rewrap(String operator) {
        return rewrap.run(REWRAP.forOperator(operator), SEALED);
    }
}
