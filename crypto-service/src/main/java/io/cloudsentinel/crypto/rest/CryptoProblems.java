package io.cloudsentinel.crypto.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cloudsentinel.crypto.DecryptionFailedException;
import io.cloudsentinel.crypto.KeyVersionRetiredException;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemResponses;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** The problems of crypto-service. */
public class CryptoProblems {

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
