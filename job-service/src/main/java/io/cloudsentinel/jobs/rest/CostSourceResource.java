package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.jobs.service.CostSources;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/costs/sources}: where cost_ingestion fetches the tenant's FOCUS exports. */
@Path("/api/v1/costs/sources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cost sources", description = "The tenant's FOCUS exports that cost_ingestion fetches")
public class CostSourceResource {

    private static final String NOT_AN_ADMIN = "The caller is not a tenant admin (forbidden)";
    private static final String NOT_A_MEMBER = "The caller is not a user or admin of the tenant (forbidden)";
    private static final String BAD_NAME = "The name is not 1 to 64 of a-z, 0-9, _ and -, starting with a letter or"
            + " digit (invalid-source-name)";

    @Schema(name = "CostSourceHeader", description = "A header sent with every fetch of the source, e.g."
            + " Authorization; its value is stored sealed and never shown")
    public record HeaderUpdate(@NotBlank @Size(max = 100) String name, @NotNull @Size(max = 8192) String value) {
    }

    @Schema(name = "CostSourceUpdate")
    public record SourceUpdate(
            @NotBlank @Size(max = 8000) @Schema(description = "https URL of a FOCUS CSV file (gzip or plain), or of"
                    + " an AWS Data Exports Manifest.json when manifest is true; a presigned or SAS URL is fine: the"
                    + " URL is stored sealed and never shown") String url,
            @Schema(description = "The URL is an AWS Data Exports manifest naming the export's files", defaultValue = "false") Boolean manifest,
            @Valid HeaderUpdate header) {
    }

    @Schema(name = "CostSource", description = "A cost source; never its URL or its header's value")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String name, @Schema(description = "The URL's host") String host, boolean manifest,
            @Schema(description = "The header sent with each fetch; absent when none") String headerName,
            boolean headerSet, Instant createdAt, Instant updatedAt) {

        static View of(CostSources.View source) {
            return new View(source.name(), source.host(), source.manifest(), source.headerName().orElse(null),
                    source.headerName().isPresent(), source.createdAt(), source.updatedAt());
        }
    }

    @Schema(name = "CostSources")
    public record Listing(List<View> sources) {
    }

    private final CostSources sources;
    private final CurrentTenantContext context;

    public CostSourceResource(CostSources sources, CurrentTenantContext context) {
        this.sources = sources;
        this.context = context;
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a cost source", description = "Creates (201) or replaces (200) the source: the whole"
            + " of it, so a header left out is removed. The URL must be https to a public address unless the operator"
            + " allows private destinations; it is checked again at every fetch. The URL and the header's value are"
            + " sealed by crypto-service before anything is written; only the URL's host is kept in the clear.")
    @APIResponseSchema(value = View.class, responseCode = "201", responseDescription = "The source is created")
    @APIResponse(responseCode = "200", description = "The source is replaced", content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request)")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "422", description = BAD_NAME + "; the URL is refused (destination-refused, with"
            + " the reason: malformed-url, scheme-not-allowed, loopback, private, …); the header is not a field name,"
            + " is one the fetch sets itself (Host, Content-*, …) or its value is not visible ASCII (invalid-header)")
    @APIResponse(responseCode = "503", description = "crypto-service could not seal the URL; nothing was changed"
            + " (crypto-unavailable, Retry-After)")
    public Uni<Response> put(@PathParam("name") String name, @Valid @NotNull SourceUpdate update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        Optional<CostSources.Header> header = Optional.ofNullable(update.header())
                .map(given -> new CostSources.Header(given.name(), given.value()));
        return sources.save(context.get().tenant(), name, update.url(), Boolean.TRUE.equals(update.manifest()),
                header).map(
                        saved -> Response.status(saved.created() ? 201 : 200).entity(View.of(saved.source()))
                                .build());
    }

    @GET
    @Operation(summary = "List the cost sources", description = "In name order; never a URL or a header's value.")
    @APIResponseSchema(value = Listing.class, responseDescription = "The tenant's sources")
    @APIResponse(responseCode = "403", description = NOT_A_MEMBER)
    public Uni<Listing> list() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN);
        return sources.list(context.get().tenant()).map(all -> new Listing(all.stream().map(View::of).toList()));
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Show a cost source", description = "Its host, whether it is a manifest and which header"
            + " is sent; never the URL or the header's value.")
    @APIResponseSchema(value = View.class, responseDescription = "The source")
    @APIResponse(responseCode = "403", description = NOT_A_MEMBER)
    @APIResponse(responseCode = "404", description = "The tenant has no such source (cost-source-not-found)")
    @APIResponse(responseCode = "422", description = BAD_NAME)
    public Uni<View> get(@PathParam("name") String name) {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN);
        return sources.show(context.get().tenant(), name).map(View::of);
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a cost source", description = "cost_ingestion no longer fetches it. The costs it"
            + " already loaded stay (their imports and rows are kept). Answers 204 whether or not it existed.")
    @APIResponse(responseCode = "204", description = "The tenant has no such source now")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "422", description = BAD_NAME)
    public Uni<Void> delete(@PathParam("name") String name) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        return sources.delete(context.get().tenant(), name);
    }
}
