package io.cloudsentinel.platform.context;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
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
 * {@code quarkus.http.limits.max-body-size}), so hashing it costs one pass; a resource that reads an
 * {@link InputStream} (an upload) gets it checked as it streams, at its end.
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
        String expected = signed.toString();
        if (context.getType() == InputStream.class) {
            // an upload the resource reads as it streams: checked at its end, before the resource can act on it
            context.setInputStream(new DigestCheckedStream(context.getInputStream(), expected, registry));
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        if (body.length == 0 ? !expected.isEmpty() : !ContentDigest.matches(expected, ContentDigest.of(body))) {
            throw refusal(registry, body.length > 0 && expected.isEmpty());
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    static ProblemException refusal(MeterRegistry registry, boolean unsigned) {
        registry.counter("cs.context.rejected").increment();
        return new ProblemException(Problem.of(ProblemTypes.CONTEXT_INVALID, 401, "Unauthenticated", unsigned
                ? "a request body must be covered by a signed Content-Digest"
                : "the request body does not match its signed Content-Digest"),
                Map.of("WWW-Authenticate", "CS-Context"));
    }

    /**
     * A streamed body whose SHA-256 is compared with the signed digest when it ends: the last read (the one that
     * sees the end) throws the 401 instead of reporting the end, so a resource that acts only on a complete body
     * (stages it, commits after the end) never acts on a body that differs. A body whose context covers none fails at
     * its first byte.
     */
    static final class DigestCheckedStream extends FilterInputStream {

        private final MessageDigest digest = ContentDigest.start();
        private final String expected;
        private final MeterRegistry registry;
        private long seen;
        private boolean checked;

        DigestCheckedStream(InputStream body, String expected, MeterRegistry registry) {
            super(body);
            this.expected = expected;
            this.registry = registry;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                if (expected.isEmpty()) {
                    throw refusal(registry, true);
                }
                digest.update(buffer, offset, read);
                seen += read;
            } else if (read < 0 && !checked) {
                checked = true;
                if (seen > 0 || !expected.isEmpty()) {
                    if (!ContentDigest.matches(expected, ContentDigest.of(digest))) {
                        throw refusal(registry, false);
                    }
                }
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            byte[] scratch = new byte[8192];
            while (skipped < n) {
                int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }
    }
}
