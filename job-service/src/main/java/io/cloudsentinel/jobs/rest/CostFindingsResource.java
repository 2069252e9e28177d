package io.cloudsentinel.jobs.rest;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.service.CostFindings;
import io.cloudsentinel.jobs.store.CostFindingsRead;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/costs/anomalies} and {@code /api/v1/costs/idle-resources}: what {@code cost_anomaly_detection} and
 * {@code zombie_scan} found in the tenant's costs. Amounts are decimal strings in their own currency.
 */
@Path("/api/v1/costs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cost findings", description = "Cost anomalies and idle resources found in the tenant's FOCUS data")
public class CostFindingsResource {

    static final int DEFAULT_DAYS = 90;

    private final CostFindings findings;
    private final CurrentTenantContext context;
    private final Clock clock;

    public CostFindingsResource(CostFindings findings, CurrentTenantContext context, Clock clock) {
        this.findings = findings;
        this.context = context;
        this.clock = clock;
    }

    @Schema(name = "CostAnomaly")
    public record AnomalyView(UUID id, LocalDate day, String currency, String service,
            @Schema(description = "'' when the rows named none") String subAccount,
            @Schema(description = "'' when the rows named none") String region,
            @Schema(description = "The day's Usage EffectiveCost") String effectiveCost,
            @Schema(description = "The median of the 28 days before (at least 14)") String baselineMedian,
            @Schema(description = "Their median absolute deviation") String baselineMad,
            @Schema(description = "effectiveCost less baselineMedian") String impact,
            @Schema(description = "Modified z-score: impact over 1.4826 MAD (with floors)") String score,
            Instant detectedAt) {

        static AnomalyView of(CostFindingsRead.Anomaly anomaly) {
            return new AnomalyView(anomaly.id(), anomaly.day(), anomaly.currency(), anomaly.service(),
                    anomaly.subAccount(), anomaly.region(), anomaly.effectiveCost().toPlainString(),
                    anomaly.baselineMedian().toPlainString(), anomaly.baselineMad().toPlainString(),
                    anomaly.impact().toPlainString(), anomaly.score().toPlainString(), anomaly.detectedAt());
        }
    }

    /** A page of anomalies, newest day first; {@code nextCursor} is absent on the last page. */
    @Schema(name = "CostAnomalyPage")
    public record AnomalyPage(List<AnomalyView> anomalies, String nextCursor) {
    }

    @Schema(name = "IdleResource")
    public record IdleResourceView(String resourceId, String currency, String service, String subAccount,
            String region,
            @Schema(description = "Days billed in the scanned window, each without usage") int daysBilled,
            @Schema(description = "EffectiveCost over those days") String effectiveCost, LocalDate firstDay,
            LocalDate lastDay, Instant detectedAt) {

        static IdleResourceView of(CostFindingsRead.IdleResource idle) {
            return new IdleResourceView(idle.resourceId(), idle.currency(), idle.service(), idle.subAccount(),
                    idle.region(), idle.daysBilled(), idle.effectiveCost().toPlainString(), idle.firstDay(),
                    idle.lastDay(), idle.detectedAt());
        }
    }

    @Schema(name = "IdleResourceList")
    public record IdleResourceList(List<IdleResourceView> idleResources) {
    }

    @GET
    @Path("/anomalies")
    @Operation(summary = "List the tenant's cost anomalies", description = "Days whose Usage cost of one (service,"
            + " sub-account, region, currency) rose out of its trailing baseline, newest day first, keyset on (day,"
            + " id); from and to (ISO dates, both included) default to the last 90 days; nextCursor fetches the"
            + " following page and is absent on the last.")
    @APIResponseSchema(value = AnomalyPage.class, responseDescription = "One page of anomalies")
    @APIResponse(responseCode = "400", description = "from or to is not an ISO date, from is after to, limit is"
            + " outside 1..200 or the cursor is not one this service issued (validation-failed)")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    public Uni<AnomalyPage> anomalies(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate last = date("to", to).orElse(today);
        LocalDate first = date("from", from).orElse(last.minusDays(DEFAULT_DAYS - 1));
        if (first.isAfter(last)) {
            throw JobProblems.invalid("from", "must not be after to (" + last + ")");
        }
        int pageSize = Paging.limit(limit);
        return findings.anomalies(context.get().tenant(), first, last, after(cursor), Paging.rows(pageSize))
                .map(rows -> page(rows, pageSize));
    }

    @GET
    @Path("/idle-resources")
    @Operation(summary = "List the tenant's idle resources", description = "Resources the last zombie_scan found"
            + " billed for Usage on every day of its window with no consumed quantity, the costliest 1,000 first.")
    @APIResponseSchema(value = IdleResourceList.class, responseDescription = "The tenant's idle resources")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    public Uni<IdleResourceList> idleResources() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        return findings.idleResources(context.get().tenant())
                .map(rows -> new IdleResourceList(rows.stream().map(IdleResourceView::of).toList()));
    }

    private static Optional<LocalDate> date(String field, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text.strip()));
        } catch (DateTimeException e) {
            throw JobProblems.invalid(field, "must be an ISO date (yyyy-mm-dd)");
        }
    }

    private static Optional<CostFindingsRead.After> after(String cursor) {
        return Paging.after(cursor, (day, id) -> new CostFindingsRead.After(LocalDate.parse(day), id));
    }

    private static AnomalyPage page(List<CostFindingsRead.Anomaly> rows, int limit) {
        if (rows.size() <= limit) {
            return new AnomalyPage(rows.stream().map(AnomalyView::of).toList(), null);
        }
        CostFindingsRead.Anomaly last = rows.get(limit - 1);
        String next = Paging.cursor(last.day(), last.id());
        return new AnomalyPage(rows.subList(0, limit).stream().map(AnomalyView::of).toList(), next);
    }
}
