package io.cloudsentinel.jobs.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudsentinel.jobs.service.StoredSecrets;
import io.cloudsentinel.platform.crypto.StoredSecretRewrap;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.mutiny.Uni;

/** {@code POST /api/v1/jobs/secrets/rewrap} (platform admin): the stored secrets lifted after a key rotation. */
@Path("/api/v1/jobs/secrets/rewrap")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stored-secrets", description = "The webhook and cost-source secrets job-service stores, sealed")
public class StoredSecretsResource {

    private final StoredSecrets secrets;
    private final CurrentTenantContext context;

    public StoredSecretsResource(StoredSecrets secrets, CurrentTenantContext context) {
        this.secrets = secrets;
        this.context = context;
    }

    @POST
    @Operation(summary = "Rewrap every stored secret under the newest key version (platform admin)", description = ""
            + "After a crypto-service key rotation: each tenant's webhook secrets (current and previous) and cost"
            + " source URL and header are rewrapped by crypto-service (the plaintext never leaves it) and written"
            + " back only where the tenant has not changed them meanwhile. The minimum decryption version may then be"
            + " raised to oldestKeyVersion. Logged with the operator.")
    @APIResponseSchema(value = StoredSecretRewrap.Report.class, responseDescription = "What the run did: examined,"
            + " rewrapped, alreadyCurrent, changedMeanwhile, the secrets crypto-service refused (their version"
            + " retired already) by tenant, and the oldest key version a stored secret still has")
    @APIResponse(responseCode = "403", description = "The caller is not a platform admin (forbidden)")
    @APIResponse(responseCode = "503", description = "crypto-service could not rewrap now (crypto-unavailable);"
            + " the secrets rewrapped before are kept, a run again goes on from there")
    public Uni<StoredSecretRewrap.Report> rewrap() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return secrets.rewrap(caller.userId());
    }
}
