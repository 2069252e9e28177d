package io.cloudsentinel.gateway;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemTypes;

/** Every problem the gateway answers itself, built in one place, and their JSON. */
@ApplicationScoped
public class GatewayProblems {

    private final ObjectMapper json;
    private final GatewayConfig config;

    public GatewayProblems(ObjectMapper json, GatewayConfig config) {
        this.json = json;
        this.config = config;
    }

    Problem digestRequired() {
        return Problem.of(ProblemTypes.of("content-digest-required"), 400, "Content-Digest required",
                "uploads stream to the service unbuffered: send the body's Content-Digest, sha-256=:<base64>:"
                        + " (RFC 9530)");
    }

    Problem noOwner() {
        return Problem.of(ProblemTypes.NOT_FOUND, 404, "Not found", "no service owns this path");
    }

    Problem unauthenticated(boolean missing) {
        return Problem.of(ProblemTypes.of("unauthenticated"), 401, "Unauthenticated",
                missing ? "send a bearer token" : "the bearer token is not valid");
    }

    Problem noTenant() {
        return Problem.of(ProblemTypes.FORBIDDEN, 403, "Forbidden", "the token does not name a tenant");
    }

    Problem rateLimited(long retryAfterSeconds) {
        return Problem.of(ProblemTypes.of("rate-limited"), 429, "Too many requests",
                "this tenant's request rate is above its limit; retry after " + retryAfterSeconds + " s")
                .with("retryAfterSeconds", retryAfterSeconds);
    }

    Problem notDeployed(String service) {
        return Problem.of(ProblemTypes.of("service-not-deployed"), 503, "Service unavailable",
                "the " + service + " service is not deployed");
    }

    Problem tooLarge(long max) {
        return Problem.of(ProblemTypes.of("payload-too-large"), 413, "Payload too large",
                "request bodies are limited to " + max + " bytes").with("maxBytes", max);
    }

    Problem circuitOpen(String service, long retryAfterSeconds) {
        return Problem.of(ProblemTypes.of("upstream-circuit-open"), 503, "Service unavailable",
                "the " + service + " service failed repeatedly; calls resume after a pause")
                .with("retryAfterSeconds", retryAfterSeconds);
    }

    Problem upstreamTimeout(String service) {
        return Problem.of(ProblemTypes.of("upstream-timeout"), 504, "Gateway timeout",
                "the " + service + " service did not answer in time");
    }

    Problem upstreamUnavailable() {
        return Problem.of(ProblemTypes.of("upstream-unavailable"), 503, "Service unavailable",
                "the service behind this path does not answer");
    }

    long maxBodyBytes() {
        return config.maxBodySize().asLongValue();
    }

    String json(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serializes", e);
        }
    }
}
