package io.cloudsentinel.crypto.rest;

import java.util.Base64;
import java.util.List;
import java.util.Map;

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

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudsentinel.crypto.config.CryptoConfig;
import io.cloudsentinel.crypto.service.CryptoService;
import io.cloudsentinel.crypto.service.Keyring;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.CurrentTenantContext;
import io.cloudsentinel.platform.tenant.Roles;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/crypto}: encryption as a service, bound to the caller's tenant and a purpose. */
@Path("/api/v1/crypto")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CryptoResource {

    static final String PURPOSE = "[a-z0-9][a-z0-9._-]{0,63}";

    /** One item ({@code plaintext} or {@code ciphertext}) or a batch ({@code items}). */
    public record CryptoRequest(@NotNull @Pattern(regexp = PURPOSE, message = "must match " + PURPOSE) String purpose,
            String plaintext, String ciphertext, List<String> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EncryptResponse(String ciphertext, List<String> ciphertexts, int keyVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecryptResponse(String plaintext, List<String> plaintexts) {
    }

    public record PolicyRequest(@NotNull Integer minDecryptionVersion) {
    }

    public record KeysView(int currentVersion, int minDecryptionVersion, List<Keyring.VersionInfo> versions) {
    }

    private final CryptoService crypto;
    private final Keyring keyring;
    private final CurrentTenantContext context;
    private final CryptoConfig config;

    public CryptoResource(CryptoService crypto, Keyring keyring, CurrentTenantContext context, CryptoConfig config) {
        this.crypto = crypto;
        this.keyring = keyring;
        this.context = context;
        this.config = config;
    }

    @POST
    @Path("/encrypt")
    public Uni<EncryptResponse> encrypt(@Valid @NotNull CryptoRequest request) {
        boolean batch = request.items() != null;
        List<byte[]> plaintexts = (batch ? checkBatch(request.items())
                : List.of(require(request.plaintext(),
                        "plaintext")))
                .stream().map(CryptoResource::base64).toList();
        return crypto.encrypt(context.get().tenant(), request.purpose(), plaintexts).map(sealed -> batch
                ? new EncryptResponse(null, sealed.ciphertexts(), sealed.version())
                : new EncryptResponse(sealed.ciphertexts().get(0), null, sealed.version()));
    }

    @POST
    @Path("/decrypt")
    public Uni<DecryptResponse> decrypt(@Valid @NotNull CryptoRequest request) {
        boolean batch = request.items() != null;
        List<String> ciphertexts = batch ? checkBatch(request.items())
                : List.of(require(request.ciphertext(), "ciphertext"));
        return crypto.decrypt(context.get().tenant(), request.purpose(), ciphertexts).map(plaintexts -> {
            List<String> encoded = plaintexts.stream().map(p -> Base64.getEncoder().encodeToString(p)).toList();
            return batch ? new DecryptResponse(null, encoded) : new DecryptResponse(encoded.get(0), null);
        });
    }

    @POST
    @Path("/rewrap")
    public Uni<EncryptResponse> rewrap(@Valid @NotNull CryptoRequest request) {
        boolean batch = request.items() != null;
        List<String> ciphertexts = batch ? checkBatch(request.items())
                : List.of(require(request.ciphertext(), "ciphertext"));
        return crypto.rewrap(context.get().tenant(), request.purpose(), ciphertexts).map(sealed -> batch
                ? new EncryptResponse(null, sealed.ciphertexts(), sealed.version())
                : new EncryptResponse(sealed.ciphertexts().get(0), null, sealed.version()));
    }

    @POST
    @Path("/keys/rotate")
    public Uni<KeysView> rotate() {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return keyring.rotate().chain(this::keysView);
    }

    @PUT
    @Path("/keys/policy")
    public Uni<KeysView> policy(@Valid @NotNull PolicyRequest request) {
        context.get().requireAnyRole(Roles.PLATFORM_ADMIN);
        return keyring.setMinDecryptionVersion(request.minDecryptionVersion()).chain(this::keysView);
    }

    @GET
    @Path("/keys")
    public Uni<KeysView> keys() {
        return keysView();
    }

    private Uni<KeysView> keysView() {
        return keyring.describe()
                .map(versions -> new KeysView(keyring.newest(), keyring.minDecryptionVersion(), versions));
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
