package io.cloudsentinel.jobs.rest;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.costs.CostSettings;
import io.cloudsentinel.jobs.service.CostSettingsService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/costs/settings}: the tenant's declared tag keys, anomaly thresholds and import tolerance. */
@Path("/api/v1/costs/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "costs", description = "The tenant's cloud costs from FOCUS exports")
public class CostSettingsResource {

    @Schema(name = "CostSettings", description = "Absent fields take their defaults")
    public record Settings(
            @Size(max = CostSettings.MAX_TAG_KEYS) @Schema(description = "Tag keys summed by groupBy=tag:<key>, at most 10") List<@NotNull @Size(min = 1, max = 128) @Pattern(regexp = "[^\\p{Cntrl}]+") String> tagKeys,
            @DecimalMin("0") @Schema(description = "Least cost above the baseline of an anomaly, in the row's currency (100)") BigDecimal anomalyMinImpact,
            @DecimalMin(value = "0", inclusive = false) @Schema(description = "Least modified z-score of an anomaly (3.5)") BigDecimal anomalyThreshold,
            @Min(0) @Schema(description = "Rejected rows an import may have and still replace its periods (0)") Long maxRejectedRows,
            @Min(1) @Max(128_000) @Schema(description = "Token budget of the prompt sent to the model (1..128,000); the operator's analysis.max-input-tokens when absent") Integer analysisMaxInputTokens) {

        static Settings of(CostSettings settings) {
            return new Settings(settings.tagKeys(), settings.anomalyMinImpact(), settings.anomalyThreshold(),
                    settings.maxRejectedRows(), settings.analysisMaxInputTokens().orElse(null));
        }

        CostSettings settings() {
            CostSettings defaults = CostSettings.DEFAULTS;
            List<String> keys = tagKeys == null ? defaults.tagKeys() : tagKeys;
            if (new LinkedHashSet<>(keys).size() != keys.size()) {
                throw JobProblems.invalid("tagKeys", "must not name a key twice");
            }
            return new CostSettings(keys, anomalyMinImpact == null ? defaults.anomalyMinImpact() : anomalyMinImpact,
                    anomalyThreshold == null ? defaults.anomalyThreshold() : anomalyThreshold,
                    maxRejectedRows == null ? defaults.maxRejectedRows() : maxRejectedRows,
                    Optional.ofNullable(analysisMaxInputTokens));
        }
    }

    private final CostSettingsService settings;
    private final CurrentTenantContext context;

    public CostSettingsResource(CostSettingsService settings, CurrentTenantContext context) {
        this.settings = settings;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show the tenant's cost settings", description = "The defaults when it set none.")
    @APIResponseSchema(value = Settings.class, responseDescription = "The settings in force")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    public Uni<Settings> get() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        return settings.show(context.get().tenant()).map(Settings::of);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the tenant's cost settings", description = "Absent fields take their defaults. A"
            + " change of tagKeys rebuilds the tag sums of the data already loaded.")
    @APIResponseSchema(value = Settings.class, responseDescription = "The settings in force")
    @APIResponse(responseCode = "400", description = "A value is out of range, more than 10 tag keys, or a key named"
            + " twice (validation-failed)")
    @APIResponse(responseCode = "403", description = "The caller is not a tenant admin (forbidden)")
    public Uni<Settings> put(@Valid @NotNull Settings update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        return settings.replace(context.get().tenant(), update.settings()).map(Settings::of);
    }
}
