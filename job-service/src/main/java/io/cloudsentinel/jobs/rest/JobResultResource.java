package io.cloudsentinel.jobs.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.service.AnalysisQueries;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/jobs/{id}/result}: what a job produced; today the analysis of a {@code finops_analysis} job. */
@Path("/api/v1/jobs/{id}/result")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "analyses", description = "The tenant's cost analyses (finops_analysis jobs)")
public class JobResultResource {

    private final AnalysisQueries queries;
    private final CurrentTenantContext context;

    public JobResultResource(AnalysisQueries queries, CurrentTenantContext context) {
        this.queries = queries;
        this.context = context;
    }

    @GET
    @Operation(summary = "Show a job's result", description = "The analysis a finops_analysis job stored: its status"
            + " (completed, or skipped with the reason), the model, the tokens and cost charged to its hold, and the"
            + " schema-checked answer.")
    @APIResponseSchema(value = AnalysisView.class, responseDescription = "The job's analysis")
    @APIResponse(responseCode = "400", description = JobResource.NOT_A_UUID)
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    @APIResponse(responseCode = "404", description = "The tenant has no job of this id with a result (yet):"
            + " result-not-found")
    public Uni<AnalysisView> get(@PathParam("id") String id) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        return queries.of(context.get().tenant(), JobResource.jobId(id)).map(AnalysisView::of);
    }
}
