package io.cloudsentinel.platform.crypto;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemResponses;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** A request that needed crypto-service while it was unavailable: 503, nothing was written, try again shortly. */
public class CryptoUnavailableMapper {

    @ServerExceptionMapper
    public Response unavailable(CryptoUnavailableException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.of("crypto-unavailable"), 503, "Crypto service unavailable",
                "the secret could not be sealed or opened now; nothing was stored, try again"),
                Map.of("Retry-After", "5"));
    }
}
