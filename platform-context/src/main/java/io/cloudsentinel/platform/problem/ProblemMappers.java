package io.cloudsentinel.platform.problem;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.cloudsentinel.platform.tenant.RoleMissingException;
import io.cloudsentinel.platform.tenant.TenantContextMissingException;

/** Every failure of every service leaves as problem+json; no stack trace, no SQL, no secret ever does. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final Instance<UnexpectedFailures> unexpectedFailures;

    public ProblemMappers(Instance<UnexpectedFailures> unexpectedFailures) {
        this.unexpectedFailures = unexpectedFailures;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return ProblemResponses.of(e.problem(), e.headers());
    }

    @ServerExceptionMapper
    public Response tenantContextMissing(TenantContextMissingException e) {
        LOG.errorf("tenant work without tenant context: %s", e.getMessage());
        return ProblemResponses.of(tenantContextMissingProblem());
    }

    @ServerExceptionMapper
    public Response roleMissing(RoleMissingException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.FORBIDDEN, 403, "Forbidden", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        return ProblemResponses.of(Problem.of(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed",
                violations.size() + " field(s) are not valid").with("violations", violations));
    }

    // Jackson's own mappers for these subtypes would answer plain JSON; ours take precedence.
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response unparsableJson(JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String detail = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? "the JSON body does not fit at '" + jsonPath(mismatch) + "'"
                : "the body is not valid JSON";
        var location = e.getLocation();
        Problem problem = Problem.of(ProblemTypes.MALFORMED_REQUEST, 400, "Malformed request", detail);
        if (location != null && location.getLineNr() > 0) {
            problem = problem.with("line", location.getLineNr()).with("column", location.getColumnNr());
        }
        return ProblemResponses.of(problem);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.NOT_FOUND, 404, "Not found", "no such resource"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.METHOD_NOT_ALLOWED, 405, "Method not allowed",
                "allowed: " + String.join(", ", e.getResponse().getAllowedMethods())));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported media type",
                "send application/json"));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return ProblemResponses.of(Problem.of(ProblemTypes.NOT_ACCEPTABLE, 406, "Not acceptable",
                "this resource answers application/json or application/problem+json"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Request refused" : known.getReasonPhrase();
        return ProblemResponses.of(Problem.of(ProblemTypes.of(slug(title)), status, title, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        for (UnexpectedFailures known : unexpectedFailures) {
            if (known.isTenantContextMissing(e)) {
                LOG.error("tenant work reached PostgreSQL without tenant context", e);
                return ProblemResponses.of(tenantContextMissingProblem());
            }
        }
        return internal(e);
    }

    private static Response internal(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unhandled failure, error id %s", errorId);
        return ProblemResponses.of(Problem.of(ProblemTypes.INTERNAL, 500, "Internal error",
                "the failure is logged under this error id").with("errorId", errorId));
    }

    private static Problem tenantContextMissingProblem() {
        return Problem.of(ProblemTypes.TENANT_CONTEXT_MISSING, 500, "Tenant context missing",
                "the service attempted tenant work without a tenant context and was refused");
    }

    private static String field(ConstraintViolation<?> violation) {
        // "create.arg0.model" -> "model": the caller knows the body's fields, not our method names.
        String path = violation.getPropertyPath().toString();
        int dot = path.indexOf('.', path.indexOf('.') + 1);
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String jsonPath(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
