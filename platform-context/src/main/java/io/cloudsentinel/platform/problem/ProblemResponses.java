package io.cloudsentinel.platform.problem;

import java.util.Map;

import jakarta.ws.rs.core.Response;

/** Builds the HTTP answer of a problem. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(Problem problem) {
        return of(problem, Map.of());
    }

    public static Response of(Problem problem, Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem);
        headers.forEach(response::header);
        return response.build();
    }
}
