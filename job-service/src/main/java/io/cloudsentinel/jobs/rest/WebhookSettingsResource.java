package io.cloudsentinel.jobs.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.jobs.service.WebhookSettingsService;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/jobs/settings/webhook}: where the tenant's notifications go, and the secret that signs them. */
@Path("/api/v1/jobs/settings/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhook", description = "The tenant's webhook for notifications")
public class WebhookSettingsResource {

    private static final String NOT_AN_ADMIN = "The caller is not a tenant admin (forbidden)";
    private static final String NO_WEBHOOK = "The tenant has no webhook (webhook-not-found)";
    private static final String CRYPTO_DOWN = "crypto-service could not seal the secret; nothing was changed"
            + " (crypto-unavailable, Retry-After)";

    @Schema(name = "WebhookUpdate")
    public record WebhookUpdate(
            @NotBlank @Size(max = 2000) @Schema(description = "https URL that receives the notifications") String url,
            @NotNull @Size(min = 1, max = 20) @Schema(description = "Event types to notify, at least one") List<@NotBlank String> events) {
    }

    @Schema(name = "WebhookCreated", description = "The new webhook with its signing secret, shown this once")
    public record Created(URI url, SortedSet<String> events,
            @Schema(description = "whsec_ and the base64 of 32 bytes (Standard Webhooks); never shown again") String secret,
            Instant createdAt) {
    }

    @Schema(name = "Webhook")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(URI url, SortedSet<String> events, boolean secretSet,
            @Schema(description = "When the secret was last rotated; absent before any rotation") Instant rotatedAt,
            @Schema(description = "Until when the previous secret still signs; absent when it no longer does") Instant previousValidUntil) {

        static View of(WebhookSettingsService.Settings settings) {
            return new View(settings.url(), settings.events(), true, settings.rotatedAt().orElse(null),
                    settings.previousValidUntil().orElse(null));
        }
    }

    @Schema(name = "WebhookSecretRotated")
    public record Rotated(@Schema(description = "The new secret, shown this once") String secret,
            @Schema(description = "Until when the previous secret still signs (both signatures are sent)") Instant previousValidUntil) {
    }

    private final WebhookSettingsService webhooks;
    private final CurrentTenantContext context;

    public WebhookSettingsResource(WebhookSettingsService webhooks, CurrentTenantContext context) {
        this.webhooks = webhooks;
        this.context = context;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's webhook", description = "Sets the URL and the event types notified. The"
            + " first setting creates the webhook and its signing secret, answered this once (201); a later one"
            + " keeps the secret (200). The URL must be https to a public address unless the operator allows"
            + " private destinations.")
    @APIResponseSchema(value = Created.class, responseCode = "201", responseDescription = "The webhook is created;"
            + " the answer holds its secret")
    @APIResponse(responseCode = "200", description = "The webhook is changed; its secret stays", content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " no url, no events, an empty event type")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "422", description = "The URL is refused (destination-refused, with the reason:"
            + " malformed-url, scheme-not-allowed, loopback, private, …) or an event type is unknown"
            + " (unknown-event-type, listing the known)")
    @APIResponse(responseCode = "503", description = CRYPTO_DOWN)
    public Uni<Response> put(@Valid @NotNull WebhookUpdate update) {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        return webhooks.save(context.get().tenant(), update.url(), update.events())
                .map(saved -> saved.secret()
                        .map(secret -> Response.status(201).entity(new Created(saved.settings().url(),
                                saved.settings().events(), secret, saved.settings().createdAt())))
                        .orElseGet(() -> Response.ok(View.of(saved.settings())))
                        .build());
    }

    @GET
    @Operation(summary = "Show the tenant's webhook", description = "Its URL and event types, and whether a previous"
            + " secret still signs after a rotation; never a secret.")
    @APIResponseSchema(value = View.class, responseDescription = "The webhook")
    @APIResponse(responseCode = "403", description = "The caller is not a user or admin of the tenant (forbidden)")
    @APIResponse(responseCode = "404", description = NO_WEBHOOK)
    public Uni<View> get() {
        context.get().requireAnyRole(Roles.TENANT_USER, Roles.TENANT_ADMIN);
        return webhooks.show(context.get().tenant()).map(View::of);
    }

    @DELETE
    @Operation(summary = "Remove the tenant's webhook", description = "No notification is queued for the tenant any"
            + " more; answers 204 whether or not there was a webhook.")
    @APIResponse(responseCode = "204", description = "The tenant has no webhook now")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    public Uni<Void> delete() {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        return webhooks.delete(context.get().tenant());
    }

    @POST
    @Path("/rotate-secret")
    @Operation(summary = "Rotate the webhook's secret", description = "Makes a new signing secret, answered this"
            + " once; the previous one keeps signing until previousValidUntil (cs.jobs.notification.rotation-grace),"
            + " deliveries carrying both signatures meanwhile. Of two rotations at once, both new secrets stay valid"
            + " and the secret before them is dropped.")
    @APIResponseSchema(value = Rotated.class, responseDescription = "The new secret")
    @APIResponse(responseCode = "403", description = NOT_AN_ADMIN)
    @APIResponse(responseCode = "404", description = NO_WEBHOOK)
    @APIResponse(responseCode = "503", description = CRYPTO_DOWN)
    public Uni<Rotated> rotate() {
        context.get().requireAnyRole(Roles.TENANT_ADMIN);
        return webhooks.rotate(context.get().tenant())
                .map(rotated -> new Rotated(rotated.secret(), rotated.previousValidUntil()));
    }
}
