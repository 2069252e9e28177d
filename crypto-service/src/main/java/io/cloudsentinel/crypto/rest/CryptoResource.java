package io.cloudsentinel.crypto.rest;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.service.CryptoService;
import io.cloudsentinel.crypto.service.RootRotation;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/crypto}: encryption as a service, bound to the caller's tenant and a purpose. */
@Path("/api/v1/crypto")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "crypto", description = "Encryption as a service, bound to the caller's tenant and a purpose")
public class CryptoResource {

    static final String PURPOSE = "[a-z0-9][a-z0-9._-]{0,63}";

    private static final String CIPHERTEXT_REFUSED = "The body is not valid (validation-failed, malformed-request), a"
            + " ciphertext does not open for this tenant and purpose (decryption-failed), or its key version is below"
            + " the minimum decryption version (key-version-retired)";
    private static final String VERSION_UNAVAILABLE = "A key version exists but this replica holds no master key that"
            + " opens it (key-version-unavailable): a configuration fault, logged with the master key it needs";
    private static final String NOT_PLATFORM_ADMIN = "The caller is not a platform admin (forbidden)";

    /** One item ({@code plaintext} or {@code ciphertext}) or a batch ({@code items}). */
    public record CryptoRequest(@NotNull @Pattern(regexp = PURPOSE, message = "must match " + PURPOSE) String purpose,
            String plaintext, String ciphertext, List<String> items) {
    }

    /** Like {@link CryptoRequest}, and a platform-admin may name the tenant the ciphertexts belong to. */
    public record RewrapRequest(@NotNull @Pattern(regexp = PURPOSE, message = "must match " + PURPOSE) String purpose,
            String ciphertext, List<String> items,
            @Schema(description = "platform-admin only: the tenant the ciphertexts belong to (a UUID); required for"
                    + " legacy tokens from a platform-admin. Others act for the tenant of their signed context") String tenant) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EncryptResponse(String ciphertext, List<String> ciphertexts, int keyVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecryptResponse(String plaintext, List<String> plaintexts) {
    }

    /** Lowering the minimum lets retired key versions decrypt again: refused unless {@code breakGlass} is true. */
    public record PolicyRequest(@NotNull Integer minDecryptionVersion,
            @Schema(description = "true to lower the minimum decryption version (logged at WARN with the caller);"
                    + " without it the minimum only rises") boolean breakGlass) {
    }

    private final CryptoService crypto;
    private final CurrentTenantContext context;
    private final CryptoConfig config;

    public CryptoResource(CryptoService crypto, CurrentTenantContext context, CryptoConfig config) {
        this.crypto = crypto;
        this.context = context;
        this.config = config;
    }

    @POST
    @Path("/encrypt")
    @Operation(summary = "Encrypt for a purpose", description = "Seals one base64 plaintext or a batch of them under"
            + " the newest key version, bound to the caller's tenant and the purpose.")
    @APIResponseSchema(value = EncryptResponse.class, responseDescription = "The ciphertext, or the batch's in"
            + " request order, and the key version that made it")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " a purpose that does not match, a plaintext that is not base64, an empty or oversized batch")
    @APIResponse(responseCode = "503", description = VERSION_UNAVAILABLE)
    public Uni<EncryptResponse> encrypt(@Valid @NotNull CryptoRequest request) {
        boolean batch = request.items() != null;
        List<byte[]> plaintexts = (batch ? checkBatch(request.items())
                : List.of(require(request.plaintext(),
                        "plaintext")))
                .stream().map(CryptoResource::base64).toList();
        return crypto.encrypt(context.get(), request.purpose(), plaintexts).map(sealed -> batch
                ? new EncryptResponse(null, sealed.ciphertexts(), sealed.version())
                : new EncryptResponse(sealed.ciphertexts().get(0), null, sealed.version()));
    }

    @POST
    @Path("/decrypt")
    @Operation(summary = "Decrypt for a purpose", description = "Opens one ciphertext or a batch of them; only the"
            + " tenant and purpose they were sealed for can open them. The earlier system's tokens are never"
            + " decrypted: they carry no tenant; a migration principal rewraps them.")
    @APIResponseSchema(value = DecryptResponse.class, responseDescription = "The base64 plaintext, or the batch's"
            + " in request order")
    @APIResponse(responseCode = "400", description = CIPHERTEXT_REFUSED + ", or an item is a legacy Fernet token"
            + " (legacy-token-needs-rewrap: rewrap it)")
    @APIResponse(responseCode = "503", description = VERSION_UNAVAILABLE)
    public Uni<DecryptResponse> decrypt(@Valid @NotNull CryptoRequest request) {
        boolean batch = request.items() != null;
        List<String> ciphertexts = batch ? checkBatch(request.items())
                : List.of(require(request.ciphertext(), "ciphertext"));
        return crypto.decrypt(context.get(), request.purpose(), ciphertexts, batch).map(plaintexts -> {
            List<String> encoded = plaintexts.stream().map(p -> Base64.getEncoder().encodeToString(p)).toList();
            return batch ? new DecryptResponse(null, encoded) : new DecryptResponse(encoded.get(0), null);
        });
    }

    @POST
    @Path("/rewrap")
    @Operation(summary = "Rewrap under the newest key version", description = "Re-seals ciphertexts under the newest"
            + " key version, for the same tenant and purpose; the plaintext never leaves the service. The earlier"
            + " system's Fernet tokens, which carry no tenant, become ciphertexts of a tenant here, for a migration"
            + " principal only: a service (for the tenant of its signed context) or a platform-admin naming the"
            + " tenant.")
    @APIResponseSchema(value = EncryptResponse.class, responseDescription = "The new ciphertext, or the batch's in"
            + " request order, and the newest key version")
    @APIResponse(responseCode = "400", description = CIPHERTEXT_REFUSED + "; a platform-admin sent legacy tokens"
            + " without naming the tenant")
    @APIResponse(responseCode = "403", description = "Legacy tokens from a caller that is not a service or a"
            + " platform-admin, or a tenant named by a caller that is not a platform-admin (forbidden)")
    @APIResponse(responseCode = "503", description = VERSION_UNAVAILABLE)
    public Uni<EncryptResponse> rewrap(@Valid @NotNull RewrapRequest request) {
        boolean batch = request.items() != null;
        List<String> ciphertexts = batch ? checkBatch(request.items())
                : List.of(require(request.ciphertext(), "ciphertext"));
        Optional<TenantId> tenant = Optional.ofNullable(request.tenant()).map(CryptoResource::tenant);
        return crypto.rewrap(context.get(), tenant, request.purpose(), ciphertexts).map(sealed -> batch
                ? new EncryptResponse(null, sealed.ciphertexts(), sealed.version())
                : new EncryptResponse(sealed.ciphertexts().get(0), null, sealed.version()));
    }

    @POST
    @Path("/keys/rotate")
    @Operation(summary = "Rotate the key (platform admin)", description = "Adds a key version that encrypts from now"
            + " on, for every tenant; earlier versions keep decrypting.")
    @APIResponseSchema(value = CryptoService.Keys.class, responseDescription = "The key versions after the rotation")
    @APIResponse(responseCode = "403", description = NOT_PLATFORM_ADMIN)
    public Uni<CryptoService.Keys> rotate() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return crypto.rotateKeys();
    }

    @POST
    @Path("/keys/rotate-root")
    @Operation(summary = "Rewrap every data key under the current master key (platform admin)", description = "Moves"
            + " every key version's data key, for all tenants, under the current master key (ENCRYPTION_KEY) and"
            + " iteration count (cs.crypto.kdf-iterations), in batches; ciphertexts do not change. Safe to rerun and"
            + " to run on several replicas at once. When remaining is 0, ENCRYPTION_KEY_PREVIOUS can be removed.")
    @APIResponseSchema(value = RootRotation.Outcome.class, responseDescription = "Data keys this run rewrapped,"
            + " versions not yet under the current master key and count after it (rerun until 0), of how many, and"
            + " the master key id and iteration count they are wrapped under")
    @APIResponse(responseCode = "403", description = NOT_PLATFORM_ADMIN)
    public Uni<RootRotation.Outcome> rotateRoot() {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return crypto.rotateRoot(caller);
    }

    @PUT
    @Path("/keys/policy")
    @Operation(summary = "Raise the minimum decryption version (platform admin)", description = "Ciphertexts of lower"
            + " key versions stop opening (key-version-retired); rewrap them first. The minimum only rises, unless the"
            + " body says breakGlass: true.")
    @APIResponseSchema(value = CryptoService.Keys.class, responseDescription = "The key versions under the policy")
    @APIResponse(responseCode = "400", description = "The body is not valid (validation-failed, malformed-request):"
            + " the version is missing, below 1 or above the newest version")
    @APIResponse(responseCode = "403", description = NOT_PLATFORM_ADMIN)
    @APIResponse(responseCode = "409", description = "The version is below the current minimum and the body does not"
            + " say breakGlass: true (min-decryption-version-raise-only); nothing changed")
    public Uni<CryptoService.Keys> policy(@Valid @NotNull PolicyRequest request) {
        TenantContext caller = context.get();
        caller.requireAnyRole(Roles.PLATFORM_ADMIN);
        return crypto.setMinDecryptionVersion(request.minDecryptionVersion(), request.breakGlass(), caller);
    }

    @GET
    @Path("/keys")
    @Operation(summary = "List the key versions (platform admin)", description = "Which version encrypts, the lowest"
            + " that still decrypts, and every version's age and use across all tenants; never key material.")
    @APIResponseSchema(value = CryptoService.Keys.class, responseDescription = "The key versions")
    @APIResponse(responseCode = "403", description = NOT_PLATFORM_ADMIN)
    public Uni<CryptoService.Keys> keys() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return crypto.keys();
    }

    private List<String> checkBatch(List<String> items) {
        if (items.isEmpty() || items.size() > config.maxBatch()) {
            throw invalid("items", "must hold 1 to " + config.maxBatch() + " entries");
        }
        for (int i = 0; i < items.size(); i++) {
            require(items.get(i), "items[" + i + "]");
        }
        return items;
    }

    private static String require(String value, String field) {
        if (value == null) {
            throw invalid(field, "is required (or send items for a batch)");
        }
        return value;
    }

    private static TenantId tenant(String value) {
        try {
            return TenantId.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid("tenant", "must be a tenant id (UUID)");
        }
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw invalid("plaintext", "must be base64");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                field + " " + message).with("violations", List.of(Map.of("field", field, "message", message))));
    }
}
