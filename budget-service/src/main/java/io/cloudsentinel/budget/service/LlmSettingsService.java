package io.cloudsentinel.budget.service;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.LlmProvider;
import io.cloudsentinel.budget.LlmProviderSettings;
import io.cloudsentinel.budget.ModelPrice;
import io.cloudsentinel.budget.repository.LlmSettings;
import io.cloudsentinel.budget.repository.LlmSettingsRepository;
import io.cloudsentinel.budget.store.PriceCatalog;
import io.cloudsentinel.platform.crypto.SealedColumn;
import io.cloudsentinel.platform.crypto.SecretRefusedException;
import io.cloudsentinel.platform.crypto.StoredSecretRewrap;
import io.cloudsentinel.platform.crypto.TenantSecrets;
import io.cloudsentinel.platform.tenant.PgErrors;
import io.cloudsentinel.platform.tenant.SystemTask;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's LLM settings: which provider and model, where, and the provider's API key, which crypto-service seals
 * before anything is written, so that only its ciphertext is ever stored. Every check runs before the key is sealed
 * and the row written: bad input stores nothing.
 */
@ApplicationScoped
public class LlmSettingsService {

    /** The crypto-service purpose the API key is sealed under; job-service opens it with the same. */
    public static final String API_KEY_PURPOSE = "llm_api_key";

    private static final Logger LOG = Logger.getLogger(LlmSettingsService.class);

    /** What an admin chooses: provider, model (priced in the catalog) and, where the provider needs one, its URL. */
    public record Choice(LlmProvider provider, String model, Optional<URI> baseUrl) {
    }

    private final TenantTransactions transactions;
    private final LlmSettingsRepository settings;
    private final PriceCatalog catalog;
    private final LlmDestinations destinations;
    /** Where the sealed keys are, for the operators' rewrap after a key rotation (V7 grants the task read). */
    private static final List<SealedColumn> SEALED = List.of(new SealedColumn("llm_settings", "api_key_ciphertext",
            API_KEY_PURPOSE));
    private static final SystemTask REWRAP = new SystemTask("secret-rewrap");

    private final TenantSecrets secrets;
    private final StoredSecretRewrap rewrap;
    private final Clock clock;

    public LlmSettingsService(TenantTransactions transactions, LlmSettingsRepository settings, PriceCatalog catalog,
            LlmDestinations destinations, TenantSecrets secrets, StoredSecretRewrap rewrap, Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.catalog = catalog;
        this.destinations = destinations;
        this.secrets = secrets;
        this.rewrap = rewrap;
        this.clock = clock;
    }

    /**
     * Every tenant's stored key under crypto-service's newest key version, for the operator (a user id) who asked
     * after a rotation; a key a tenant sets meanwhile stays as it is set.
     */
    public Uni<StoredSecretRewrap.Report> rewrapKeys(String operator) {
        return rewrap.run(REWRAP.forOperator(operator), SEALED);
    }

    /** @return the tenant's settings, or a 404 {@code llm-settings-not-found} */
    public Uni<LlmProviderSettings> find(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()))
                .map(found -> {
                    if (found == null) {
                        throw BudgetProblems.llmSettingsNotFound();
                    }
                    return found.settings();
                });
    }

    /**
     * Stores the choice; {@code apiKey}, when given, replaces the stored key (sealed first: crypto-service down is a
     * 503 and nothing is written), and when absent the stored key stays.
     */
    public Uni<LlmProviderSettings> choose(TenantId tenant, Choice choice, Optional<String> apiKey) {
        return checked(tenant, choice)
                .chain(() -> apiKey.isEmpty() ? Uni.createFrom().item(Optional.<String> empty())
                        : secrets.seal(tenant, API_KEY_PURPOSE, apiKey.get()).map(Optional::of))
                .chain(ciphertext -> write(tenant, choice, ciphertext));
    }

    /**
     * The earlier system's settings of {@code tenant}, imported by an operator: its Fernet-encrypted key is rewrapped
     * by crypto-service into a ciphertext of this suite for the tenant (this service is the migration principal, for
     * the tenant of its signed context), and only that is stored.
     */
    public Uni<LlmProviderSettings> importLegacy(String operator, TenantId tenant, Choice choice,
            String legacyToken) {
        return checked(tenant, choice)
                .chain(() -> secrets.rewrapLegacy(tenant, API_KEY_PURPOSE, legacyToken)
                        .onFailure(SecretRefusedException.class)
                        .transform(e -> BudgetProblems.legacyKeyRefused()))
                .chain(ciphertext -> write(tenant, choice, Optional.of(ciphertext)))
                .invoke(stored -> LOG.infof("operator %s imported the earlier system's LLM settings of tenant %s"
                        + " (provider %s, model %s, API key rewrapped)", operator, tenant,
                        stored.provider().wireName(), stored.model()));
    }

    /** Removes the API key and keeps the rest; nothing to remove is no error. */
    public Uni<Void> removeKey(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()).invoke(found -> {
            if (found != null) {
                found.removeKey(clock.instant().truncatedTo(ChronoUnit.MICROS));
            }
        })).replaceWithVoid();
    }

    /** Removes the tenant's settings, key included; nothing to remove is no error. */
    public Uni<Void> remove(TenantId tenant) {
        return transactions.inTenantSession(tenant, session -> settings.deleteById(tenant.value()))
                .replaceWithVoid();
    }

    /** The model has a price in force (authorizations could not price it otherwise), the base URL may be called. */
    private Uni<Void> checked(TenantId tenant, Choice choice) {
        return transactions.inTenant(tenant, connection -> catalog.allInForce(connection, clock.instant()))
                .invoke(prices -> {
                    List<String> known = prices.stream().map(ModelPrice::model).toList();
                    if (!known.contains(choice.model())) {
                        throw BudgetProblems.unknownModel(choice.model(), known);
                    }
                })
                .chain(() -> choice.baseUrl().map(destinations::check).orElse(Uni.createFrom().nullItem()))
                .replaceWithVoid();
    }

    private Uni<LlmProviderSettings> write(TenantId tenant, Choice choice, Optional<String> ciphertext) {
        return transactions.inTenantSession(tenant, session -> settings.findById(tenant.value()).chain(found -> {
            // at PostgreSQL's precision: the answer shows the times a later GET reads back
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            LlmSettings row = found != null ? found
                    : LlmSettings.of(tenant.value(), choice.provider(), choice.model(), choice.baseUrl(), now);
            row.choose(choice.provider(), choice.model(), choice.baseUrl(), now);
            ciphertext.ifPresent(sealed -> row.replaceKey(sealed, now));
            return (found != null ? Uni.createFrom().item(row) : settings.persist(row)).map(LlmSettings::settings);
        }))
                // two first settings at once: the one that lost the insert runs again and updates the other's row
                .onFailure(PgErrors::isUniqueViolation).retry().atMost(1);
    }
}
