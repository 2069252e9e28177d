package io.cloudsentinel.platform.problem;

import java.net.URI;

/** The problem types every service shares; a service adds its own under the same base. */
public final class ProblemTypes {

    public static final String BASE = "https://cloudsentinel.dev/problems/";

    public static final URI TENANT_CONTEXT_MISSING = of("tenant-context-missing");
    public static final URI CONTEXT_INVALID = of("context-invalid");
    public static final URI FORBIDDEN = of("forbidden");
    public static final URI VALIDATION_FAILED = of("validation-failed");
    public static final URI MALFORMED_REQUEST = of("malformed-request");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI INTERNAL = of("internal-error");

    private ProblemTypes() {
    }

    public static URI of(String slug) {
        return URI.create(BASE + slug);
    }
}
