package io.cloudsentinel.jobs.rest;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.jobs.JobProblems;
import io.cloudsentinel.jobs.config.CostImportsConfig;
import io.cloudsentinel.jobs.costs.ImportOutcome;
import io.cloudsentinel.jobs.costs.ImportRejection;
import io.cloudsentinel.jobs.service.CostImports;
import io.cloudsentinel.jobs.service.CostQueries;
import io.cloudsentinel.jobs.store.CostImportRead;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/costs/imports}: FOCUS files uploaded into a source's billing periods, and every import's record
 * (uploads and cost_ingestion's fetches).
 */
@Path("/api/v1/costs/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "costs", description = "The tenant's cloud costs from FOCUS exports")
public class CostImportResource {

    static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final String DEFAULT_SOURCE = "upload";
    private static final int REJECTED_IN_PROBLEM = 20;

    @Schema(name = "CostImport")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, String source, String origin, UUID jobId, String status, long rowsLoaded,
            long rowsRejected, long bytes, List<Instant> billingPeriods, List<String> ignoredColumns, String failure,
            Instant startedAt, Instant finishedAt,
            @Schema(description = "The first rejected rows (at most 1,000), on GET of one import") List<ImportRejection> rejected) {

        static View of(CostImportRead.CostImport i, List<ImportRejection> rejected) {
            return new View(i.id(), i.source(), i.origin(), i.jobId(), i.status(), i.rowsLoaded(), i.rowsRejected(),
                    i.bytes(), i.billingPeriods(), i.ignoredColumns(), i.failure(), i.startedAt(), i.finishedAt(),
                    rejected);
        }
    }

    @Schema(name = "CostImportPage")
    public record Page(List<View> imports, String nextCursor) {
    }

    private final CostImports costImports;
    private final CostQueries queries;
    private final CostImportsConfig config;
    private final CurrentTenantContext context;

    public CostImportResource(CostImports costImports, CostQueries queries, CostImportsConfig config,
            CurrentTenantContext context) {
        this.costImports = costImports;
        this.queries = queries;
        this.config = config;
        this.context = context;
    }

    @POST
    @Consumes({ "text/csv", "application/gzip", "application/x-gzip", MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Upload a FOCUS CSV file", description = "Reads the file (plain or gzip, FOCUS 1.0 to 1.2) as"
            + " it streams and loads it into the source's billing periods: the periods the file holds replace that"
            + " source's earlier rows of them at once, when the whole file is read. A file that is not a FOCUS CSV, or"
            + " with more rejected rows than the tenant allows (maxImportRejections, 0 by default), changes nothing. The"
            + " body must be covered by a signed Content-Digest (the gateway signs the client's).")
    @APIResponseSchema(value = View.class, responseCode = "201", responseDescription = "The file is loaded")
    @APIResponse(responseCode = "400", description = "The source name is not valid (validation-failed)")
    @APIResponse(responseCode = "403", description = "The caller is not a tenant admin (forbidden)")
    @APIResponse(responseCode = "413", description = "Larger than cs.jobs.costs.imports.max-upload-size"
            + " (upload-too-large); nothing was kept")
    @APIResponse(responseCode = "422", description = "The import failed (cost-import-failed): importId, failure (with"
            + " the line), rowsRejected and the first rejected rows; the earlier data is kept")
    public Response upload(@QueryParam("source") String source, @HeaderParam("Content-Length") String length,
            InputStream body) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        String name = sourceName(source);
        long limit = config.maxUploadSize().asLongValue();
        if (declaredLength(length) > limit) {
            throw CostImports.tooLarge(limit);
        }
        ImportOutcome outcome = costImports.upload(context.get().tenant(), name, body);
        CostQueries.ImportDetail detail = queries.importDetail(context.get().tenant(), outcome.importId()).await()
                .indefinitely();
        if (outcome.status() == ImportOutcome.ImportStatus.FAILED) {
            throw failed(outcome, detail.rejected());
        }
        return Response.created(URI.create("/api/v1/costs/imports/" + outcome.importId()))
                .entity(View.of(detail.costImport(), detail.rejected())).build();
    }

    @GET
    @Operation(summary = "List the tenant's imports", description = "Uploads and fetches, newest first, keyset on"
            + " (startedAt, id); a running import is listed while it loads.")
    @APIResponseSchema(value = Page.class, responseDescription = "One page of imports")
    @APIResponse(responseCode = "400", description = "source, limit (1..200) or cursor not valid (validation-failed)")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    public Uni<Page> list(@QueryParam("source") String source, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        Optional<String> named = source == null ? Optional.empty() : Optional.of(sourceName(source));
        int pageSize = Paging.limit(limit);
        return queries.imports(context.get().tenant(), named, after(cursor), Paging.rows(pageSize))
                .map(imports -> page(imports, pageSize));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Show one import", description = "Its record and its first rejected rows, each with its"
            + " line in the file and the reason.")
    @APIResponseSchema(value = View.class, responseDescription = "The import")
    @APIResponse(responseCode = "403", description = JobResource.NOT_A_TENANT_USER)
    @APIResponse(responseCode = "404", description = "No such import of the tenant (import-not-found)")
    public Uni<View> one(@PathParam("id") UUID id) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);
        return queries.importDetail(context.get().tenant(), id)
                .map(detail -> View.of(detail.costImport(), detail.rejected()));
    }

    static String sourceName(String source) {
        String name = source == null ? DEFAULT_SOURCE : source;
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw JobProblems.invalid("source", "must be 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or"
                    + " digit");
        }
        return name;
    }

    private static long declaredLength(String length) {
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A file cut short is the client's (400); a file that is no FOCUS CSV, or too many rejected rows, 422. */
    private static ProblemException failed(ImportOutcome outcome, List<ImportRejection> rejected) {
        return new ProblemException(Problem.of(CostImports.IMPORT_FAILED, outcome.retryable() ? 400 : 422,
                "Cost import failed", outcome.failure().orElse("the import failed"))
                .with("importId", outcome.importId().toString())
                .with("rowsRejected", outcome.rowsRejected())
                .with("rejected", rejected.stream().limit(REJECTED_IN_PROBLEM).toList()));
    }

    private static Optional<CostImportRead.After> after(String cursor) {
        return Paging.after(cursor, (at, id) -> new CostImportRead.After(Instant.parse(at), id));
    }

    private static Page page(List<CostImportRead.CostImport> imports, int limit) {
        List<View> views = imports.stream().limit(limit).map(i -> View.of(i, null)).toList();
        if (imports.size() <= limit) {
            return new Page(views, null);
        }
        CostImportRead.CostImport last = imports.get(limit - 1);
        return new Page(views, Paging.cursor(last.startedAt(), last.id()));
    }
}
