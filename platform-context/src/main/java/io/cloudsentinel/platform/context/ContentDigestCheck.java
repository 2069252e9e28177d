package io.cloudsentinel.platform.context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Compares a request body, as the resource reads it, with the {@code Content-Digest} its signed context covers
 * ({@link SignedContextFilter}); a body that differs, or a body whose context covers none, ends the request with 401
 * before the resource runs. The body is already in memory (Quarkus REST reads it whole, within
 * {@code quarkus.http.limits.max-body-size}), so hashing it costs one pass.
 */
@Provider
public class ContentDigestCheck implements ReaderInterceptor {

    private final MeterRegistry registry;

    public ContentDigestCheck(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object signed = context.getProperty(SignedContextFilter.SIGNED_DIGEST);
        if (signed == null) {
            return context.proceed(); // not a request this filter saw (none reach a resource without it)
        }
        byte[] body = context.getInputStream().readAllBytes();
        String expected = signed.toString();
        if (body.length == 0 ? !expected.isEmpty() : !ContentDigest.matches(expected, ContentDigest.of(body))) {
            registry.counter("cs.context.rejected").increment();
            throw new ProblemException(Problem.of(ProblemTypes.CONTEXT_INVALID, 401, "Unauthenticated",
                    body.length > 0 && expected.isEmpty()
                            ? "a request body must be covered by a signed Content-Digest"
                            : "the request body does not match its signed Content-Digest"),
                    Map.of("WWW-Authenticate", "CS-Context"));
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
