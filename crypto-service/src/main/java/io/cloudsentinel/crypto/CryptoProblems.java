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
