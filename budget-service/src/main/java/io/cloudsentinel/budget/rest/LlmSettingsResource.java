package io.cloudsentinel.budget.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.budget.BudgetProblems;
import io.cloudsentinel.budget.LlmProvider;
import io.cloudsentinel.budget.LlmProviderSettings;
import io.cloudsentinel.budget.service.LlmSettingsService;
import io.cloudsentinel.platform.crypto.StoredSecretRewrap;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/llm/settings}: the provider, model and base URL a tenant's LLM calls use, and its provider API key,
 * which is stored only sealed by crypto-service and shown to no one: job-service alone reads the ciphertext.
 */
@Path("/api/v1/llm/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "llm-settings", description = "The tenant's LLM provider, model, base URL and API key (write-only)")
public class LlmSettingsResource {

    static final int MAX_API_KEY_LENGTH = 512;
    static final int MAX_BASE_URL_LENGTH = 2048;
    // printable ASCII without space: what providers issue as keys, and nothing a header could be split on
    private static final Pattern API_KEY = Pattern.compile("[\\x21-\\x7E]{1," + MAX_API_KEY_LENGTH + "}");
    // a Fernet token is url-safe base64 of version 0x80, timestamp, IV, ciphertext and HMAC
    private static final Pattern FERNET_TOKEN = Pattern.compile("gAAAAA[A-Za-z0-9_-]{50,8192}={0,2}");

    @Schema(description = "apiKey: absent keeps the stored key; baseUrl: required unless the provider is openai")
    public record SettingsUpdate(@NotBlank @Size(max = 50) String provider, @NotBlank @Size(max = 100) String model,
            @Schema(writeOnly = true) String apiKey, String baseUrl) {
    }

    public record LegacyImport(@NotBlank String tenant, @NotBlank @Size(max = 50) String provider,
            @NotBlank @Size(max = 100) String model, String baseUrl,
            @Schema(writeOnly = true) @NotBlank String legacyApiKey) {
    }

    public record SettingsView(String provider, String model, String baseUrl, boolean apiKeySet, Instant keySetAt,
            Instant updatedAt) {
        static SettingsView of(LlmProviderSettings settings) {
            return new SettingsView(settings.provider().wireName(), settings.model(),
                    settings.baseUrl().map(URI::toString).orElse(null), settings.apiKeyCiphertext().isPresent(),
                    settings.keySetAt().orElse(null), settings.updatedAt());
        }
    }

    public record Credentials(String provider, String model, String baseUrl, String apiKeyCiphertext) {
    }

    private static final String NOT_FOUND = "The tenant has stored no LLM settings (llm-settings-not-found)";
    private static final String NOT_AN_ADMIN = "The caller is not an admin of the tenant (forbidden)";
    private static final String REFUSED = "The provider is not one of openai, vllm, ollama, litellm,"
            + " openai-compatible (unknown-provider, with knownProviders), the model has no price in force"
            + " (unknown-model, with knownModels), or the base URL may not be called: not https, private, loopback,"
            + " link-local or metadata, unless the operator allows it (destination-refused, with its reason)";
    private static final String UNAVAILABLE = "crypto-service could not seal the key now (crypto-unavailable);"
            + " nothing was stored";

    private final LlmSettingsService llmSettings;
    private final CurrentTenantContext context;

    public LlmSettingsResource(LlmSettingsService llmSettings, CurrentTenantContext context) {
        this.llmSettings = llmSettings;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show the tenant's LLM settings", description = "Provider, model, base URL and whether an"
            + " API key is set (and since when); never the key.")
    @APIResponseSchema(value = SettingsView.class, responseDescription = "The settings, without the key")
    @APIResponse(responseCode = "403", description = "The caller is neither a user nor an admin of the tenant"
            + " (forbidden)")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<SettingsView> get() {
        TenantContext caller = caller(Roles.TENANT_USER, Roles.TENANT_ADMIN);
        return llmSettings.find(caller.tenant()).map(SettingsView::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's LLM settings (tenant admin)", description = "Replaces provider, model and"
            + " base URL. An apiKey replaces the stored key: crypto-service seals it (purpose llm_api_key) before"
            + " anything is written and only the ciphertext is kept; without apiKey the stored key stays.")
    @APIResponseSchema(value = SettingsView.class, responseDescription = "The settings as they are now")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " provider or model missing, an apiKey that is not 1 to 512 visible characters, a baseUrl that is not an"
            + " absolute URL without query, or missing for a provider other than openai")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "422", description = REFUSED)
    @APIResponse(responseCode = "503", description = UNAVAILABLE)
    public Uni<SettingsView> put(@Valid @NotNull SettingsUpdate update) {
        TenantContext caller = caller(Roles.TENANT_ADMIN);
        LlmProvider provider = provider(update.provider());
        Optional<String> apiKey = Optional.ofNullable(update.apiKey()).map(LlmSettingsResource::apiKey);
        return llmSettings.choose(caller.tenant(), new LlmSettingsService.Choice(provider, update.model(),
                baseUrl(update.baseUrl(), provider)), apiKey).map(SettingsView::of);
    }

    @DELETE
    @Path("/api-key")
    @Operation(summary = "Remove the API key (tenant admin)", description = "Provider, model and base URL stay.")
    @APIResponse(responseCode = "204", description = "Removed, or there was none")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    public Uni<Response> deleteApiKey() {
        return llmSettings.removeKey(caller(Roles.TENANT_ADMIN).tenant()).map(ignored -> Response.noContent().build());
    }

    @DELETE
    @Operation(summary = "Remove the LLM settings (tenant admin)", description = "Provider, model, base URL and key.")
    @APIResponse(responseCode = "204", description = "Removed, or there were none")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    public Uni<Response> delete() {
        return llmSettings.remove(caller(Roles.TENANT_ADMIN).tenant()).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/credentials")
    @Operation(summary = "Read the settings with the sealed key (services)", description = "For a service acting for"
            + " the tenant (job-service): the API key as crypto-service's ciphertext, which opens only for this"
            + " tenant and purpose llm_api_key.")
    @APIResponseSchema(value = Credentials.class, responseDescription = "The settings; apiKeyCiphertext null when no"
            + " key is set, baseUrl null when the provider's own is used")
    @APIResponse(responseCode = "403", description = "The caller is not a service acting for the tenant (forbidden)")
    @APIResponse(responseCode = "404", description = NOT_FOUND)
    public Uni<Credentials> credentials() {
        TenantContext caller = caller(Roles.SERVICE);
        return llmSettings.find(caller.tenant()).map(settings -> new Credentials(settings.provider().wireName(),
                settings.model(), settings.baseUrl().map(URI::toString).orElse(null),
                settings.apiKeyCiphertext().orElse(null)));
    }

    @PUT
    @Path("/legacy-import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a tenant's settings from the earlier system (platform admin)", description = "The"
            + " earlier system's Fernet-encrypted key is rewrapped by crypto-service into a ciphertext of the named"
            + " tenant, and only that is stored; replaces the tenant's settings. Logged with the operator.")
    @APIResponseSchema(value = SettingsView.class, responseDescription = "The tenant's settings as they are now")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " tenant not a UUID, legacyApiKey not a Fernet token, or provider, model or baseUrl as for PUT")
    @APIResponse(responseCode = "403", description = "The caller is not a platform admin (forbidden)")
    @APIResponse(responseCode = "422", description = REFUSED + "; or the token does not open with crypto-service's"
            + " legacy keys (legacy-key-refused)")
    @APIResponse(responseCode = "503", description = UNAVAILABLE)
    public Uni<SettingsView> legacyImport(@Valid @NotNull LegacyImport legacy) {
        TenantContext operator = caller(Roles.PLATFORM_ADMIN);
        TenantId tenant;
        try {
            tenant = TenantId.parse(legacy.tenant());
        } catch (IllegalArgumentException e) {
            throw BudgetProblems.invalid("tenant", "must be a tenant id (UUID)");
        }
        if (!FERNET_TOKEN.matcher(legacy.legacyApiKey()).matches()) {
            throw BudgetProblems.invalid("legacyApiKey", "must be a Fernet token of the earlier system");
        }
        LlmProvider provider = provider(legacy.provider());
        return llmSettings.importLegacy(operator.userId(), tenant, new LlmSettingsService.Choice(provider,
                legacy.model(), baseUrl(legacy.baseUrl(), provider)), legacy.legacyApiKey()).map(SettingsView::of);
    }

    @POST
    @Path("/rewrap")
    @Operation(summary = "Rewrap every stored API key under the newest key version (platform admin)", description = ""
            + "After a crypto-service key rotation: each tenant's stored key is rewrapped by crypto-service (the"
            + " plaintext never leaves it) and written back only if the tenant has not set another meanwhile. The"
            + " minimum decryption version may then be raised to oldestKeyVersion. Logged with the operator.")
    @APIResponseSchema(value = StoredSecretRewrap.Report.class, responseDescription = "What the run did: examined,"
            + " rewrapped, alreadyCurrent, changedMeanwhile, the tenants whose key crypto-service refused (its version"
            + " retired already), and the oldest key version a stored key still has")
    @APIResponse(responseCode = "403", description = "The caller is not a platform admin (forbidden)")
    @APIResponse(responseCode = "503", description = "crypto-service could not rewrap now (crypto-unavailable);"
            + " the keys rewrapped before are kept, a run again goes on from there")
    public Uni<StoredSecretRewrap.Report> rewrap() {
        return llmSettings.rewrapKeys(caller(Roles.PLATFORM_ADMIN).userId());
    }

    private TenantContext caller(String... roles) {
        TenantContext caller = context.get();
        caller.requireAnyRole(roles);
        return caller;
    }

    private static LlmProvider provider(String name) {
        return LlmProvider.named(name).orElseThrow(() -> BudgetProblems.unknownProvider(name, LlmProvider.names()));
    }

    /** Never echoed: the problem says what is wrong with the key, not what it was. */
    private static String apiKey(String key) {
        if (!API_KEY.matcher(key).matches()) {
            throw BudgetProblems.invalid("apiKey", "must be 1 to " + MAX_API_KEY_LENGTH
                    + " visible ASCII characters (no spaces)");
        }
        return key;
    }

    /**
     * An absolute URL without query or fragment (requests go to {@code {baseUrl}/v1/chat/completions}), trailing
     * slashes dropped; scheme and address are the destination guard's to judge. Not echoed: it may hold credentials.
     */
    static Optional<URI> baseUrl(String text, LlmProvider provider) {
        if (text == null) {
            if (provider.needsBaseUrl()) {
                throw BudgetProblems.invalid("baseUrl", "is required for provider " + provider.wireName());
            }
            return Optional.empty();
        }
        if (text.length() > MAX_BASE_URL_LENGTH) {
            throw BudgetProblems.invalid("baseUrl", "must be at most " + MAX_BASE_URL_LENGTH + " characters");
        }
        URI url;
        try {
            url = new URI(text.strip().replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw BudgetProblems.invalid("baseUrl", "is not a URL");
        }
        if (!url.isAbsolute() || url.getHost() == null) {
            throw BudgetProblems.invalid("baseUrl", "must be an absolute URL such as https://llm.example.com");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw BudgetProblems.invalid("baseUrl", "must have no query or fragment: calls go to"
                    + " {baseUrl}/v1/chat/completions");
        }
        return Optional.of(url);
    }
}
