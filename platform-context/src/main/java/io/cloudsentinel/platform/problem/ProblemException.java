package io.cloudsentinel.platform.problem;

import java.util.Map;

/** Ends a request with a problem+json answer; headers such as Retry-After travel with it. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
