package io.cloudsentinel.jobs.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.repository.Analysis;
import io.cloudsentinel.jobs.service.AnalysisQueries;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/jobs/analyses}: the tenant's cost analyses, newest first. A literal path of its own, so that it is
 * matched before {@code /api/v1/jobs/{id}} (JAX-RS prefers the longer literal), as {@code /stats} is.
 */
@Path("/api/v1/jobs/analyses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analyses", description = "The tenant's cost analyses (finops_analysis jobs)")
public class AnalysisResource {

    private final AnalysisQueries queries;
    private final CurrentTenantContext context;

    public AnalysisResource(AnalysisQueries queries, CurrentTenantContext context) {
        this.queries = queries;
        this.context = context;
    }

    @GET
    @Operation(summary = "List the tenant's analyses", description = "Completed and skipped finops_analysis results,"
            + " newest first, keyset on (createdAt, jobId); nextCursor fetches the following page and is absent on"
            + " the last.")
    @APIResponseSchema(value = AnalysisView.Page.class, responseDescription = "One page of analyses")
    @APIResponse(responseCode = "400", description = "limit is outside 1..200 or the cursor is not one this service"
            + " issued (validation-failed)")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    public Uni<AnalysisView.Page> list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        int pageSize = Paging.limit(limit);
        return queries.page(context.get().tenant(), Paging.after(cursor), Paging.rows(pageSize))
                .map(analyses -> page(analyses, pageSize));
    }

    /** {@code limit} of the rows, and a cursor (the same form as the jobs list's) only when another page follows. */
    private static AnalysisView.Page page(List<Analysis> analyses, int limit) {
        if (analyses.size() <= limit) {
            return new AnalysisView.Page(analyses.stream().map(AnalysisView::of).toList(), null);
        }
        Analysis last = analyses.get(limit - 1);
        String next = Paging.cursor(last.createdAt(), last.jobId());
        return new AnalysisView.Page(analyses.subList(0, limit).stream().map(AnalysisView::of).toList(), next);
    }
}
