package io.cloudsentinel.jobs.rest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.JobState;
import io.cloudsentinel.jobs.service.JobQueries;
import io.cloudsentinel.jobs.store.JobStats;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/jobs/stats}: jobs by state and type, of the caller's tenant or, for operators, of all. */
@Path("/api/v1/jobs/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "job-stats", description = "Jobs by state and type")
public class JobStatsResource {

    /** {@code tenantId} absent when the counts are platform-wide. */
    @Schema(name = "JobStats")
    public record StatsView(@Schema(description = "tenant or platform") String scope, UUID tenantId, long total,
            Map<JobState, Long> byState, Map<String, Long> byType, List<CountView> counts) {
    }

    @Schema(name = "JobCount")
    public record CountView(JobState state, String type, long jobs) {
    }

    private final JobQueries queries;
    private final CurrentTenantContext context;

    public JobStatsResource(JobQueries queries, CurrentTenantContext context) {
        this.queries = queries;
        this.context = context;
    }

    @GET
    @Operation(summary = "Count jobs by state and type", description = "For tenant users and admins, the jobs of"
            + " their tenant; for platform admins, every tenant's, read on the audited system path. Every state is"
            + " listed, with 0 when no job is in it.")
    @APIResponseSchema(value = StatsView.class, responseDescription = "The counts now")
    @APIResponse(responseCode = "403", description = "The caller is neither a user or admin of the tenant nor a"
            + " platform admin (forbidden)")
    public Uni<StatsView> get() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        if (caller.hasRole(Roles.PLATFORM_ADMIN)) {
            return queries.countsOfPlatform(caller.userId()).map(counts -> view("platform", null, counts));
        }
        return queries.countsOf(caller.tenant()).map(counts -> view("tenant", caller.tenant().value(), counts));
    }

    private static StatsView view(String scope, UUID tenant, List<JobStats.Count> counts) {
        Map<JobState, Long> byState = new TreeMap<>();
        for (JobState state : JobState.values()) {
            byState.put(state, 0L);
        }
        Map<String, Long> byType = new TreeMap<>();
        long total = 0;
        for (JobStats.Count count : counts) {
            byState.merge(count.state(), count.jobs(), Long::sum);
            byType.merge(count.type(), count.jobs(), Long::sum);
            total += count.jobs();
        }
        return new StatsView(scope, tenant, total, byState, byType,
                counts.stream().map(c -> new CountView(c.state(), c.type(), c.jobs())).toList());
    }
}
