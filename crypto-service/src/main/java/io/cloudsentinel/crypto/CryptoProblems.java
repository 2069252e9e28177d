package io.cloudsentinel.crypto;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemResponses;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The problems of crypto-service, built here and nowhere else: the answers to its exceptions, and its refusals. */
public class CryptoProblems {

    /** 400: a minimum decryption version outside 1..newest. */
    public static ProblemException minDecryptionVersionOutOfRange(int newest) {
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                "minDecryptionVersion must be between 1 and the newest version " + newest)
                .with("violations", List.of(Map.of("field", "minDecryptionVersion", "message",
                        "must be between 1 and " + newest))));
    }

    /** 409: lowering the minimum lets retired key versions decrypt again, so it takes an explicit break-glass. */
    public static ProblemException minDecryptionVersionRaiseOnly(int current, int requested) {
        return new ProblemException(Problem.of(ProblemTypes.of("min-decryption-version-raise-only"), 409,
                "Minimum decryption version only rises", "the minimum decryption version is " + current + "; "
                        + requested + " would lower it and let retired key versions decrypt again: send breakGlass:"
                        + " true to lower it deliberately")
                .with("minDecryptionVersion", current).with("requested", requested));
    }

    /**
     * 400: decrypt never opens the earlier system's Fernet tokens: they carry no tenant, so their plaintext would go to
     * whoever holds one. Told by its form alone (before any key is tried), so the answer reveals nothing about it.
     */
    public static ProblemException legacyTokenNeedsRewrap(String field) {
        return new ProblemException(Problem.of(ProblemTypes.of("legacy-token-needs-rewrap"), 400,
                "Legacy token needs rewrap", field + " is a legacy Fernet token, which carries no tenant and is never"
                        + " decrypted: a migration principal (a service for the tenant of its signed context, or a"
                        + " platform-admin naming the tenant) turns it into a ciphertext of that tenant with POST"
                        + " /api/v1/crypto/rewrap")
                .with("field", field));
    }

    /** 403: legacy tokens are rewrapped only by a migration principal, who says which tenant they belong to. */
    public static ProblemException legacyRewrapForbidden() {
        return new ProblemException(Problem.of(ProblemTypes.FORBIDDEN, 403, "Forbidden", "legacy Fernet tokens carry"
                + " no tenant: only a migration principal rewraps them, a service (for the tenant of its signed"
                + " context) or a platform-admin (naming the tenant)"));
    }

    /** 403: only a platform-admin acts for a tenant other than that of its signed context. */
    public static ProblemException otherTenantForbidden() {
        return new ProblemException(Problem.of(ProblemTypes.FORBIDDEN, 403, "Forbidden", "only a platform-admin"
                + " names a tenant other than that of its signed context"));
    }

    /** 400: a platform-admin rewrapping legacy tokens names the tenant they belong to (its own is the operators'). */
    public static ProblemException tenantRequiredForLegacyTokens() {
        String message = "is required when a platform-admin rewraps legacy tokens: the tenant they belong to";
        return new ProblemException(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                "tenant " + message).with("violations", List.of(Map.of("field", "tenant", "message", message))));
    }

    /**
     * 503: the version exists but this replica holds no master key that opens it (configuration, not the caller's
     * ciphertext, is at fault; the replica logged which master key it needs).
     */
    public static ProblemException keyVersionUnavailable(int version) {
        return new ProblemException(Problem.of(ProblemTypes.of("key-version-unavailable"), 503,
                "Key version unavailable", "key version " + version + " does not open on this replica: the master key"
                        + " it is wrapped under is not configured")
                .with("keyVersion", version));
    }

    /** One answer for every reason a ciphertext does not open: tampered, truncated, foreign, wrong purpose. */
    @ServerExceptionMapper
    public Response decryptionFailed(DecryptionFailedException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.of("decryption-failed"), 400, "Decryption failed",
                "the ciphertext cannot be decrypted for this tenant and purpose"));
    }

    @ServerExceptionMapper
    public Response versionRetired(KeyVersionRetiredException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.of("key-version-retired"), 400, "Key version retired",
                "the ciphertext uses key version " + e.version + ", below the minimum decryption version "
                        + e.minDecryptionVersion + "; it should have been rewrapped")
                .with("keyVersion", e.version).with("minDecryptionVersion", e.minDecryptionVersion));
    }
}
