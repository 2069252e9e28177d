package io.cloudsentinel.platform.context;

import java.util.Locale;
import java.util.Objects;

/**
 * What a signed context is bound to besides the tenant: the service it is for (audience), the method, the request
 * target as sent (raw path and query) and the body's RFC 9530 {@code Content-Digest}, empty when there is no body. A
 * context captured from one request therefore proves nothing on another service, method, path or body.
 */
public record SignedRequest(String audience, String method, String target, String contentDigest) {

    public SignedRequest {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(target, "target");
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        contentDigest = contentDigest == null ? "" : contentDigest;
    }

    /** A request without a body. */
    public static SignedRequest of(String audience, String method, String target) {
        return new SignedRequest(audience, method, target, "");
    }

    /** A request with a body (null or empty for none): its digest is computed here. */
    public static SignedRequest withBody(String audience, String method, String target, byte[] body) {
        return new SignedRequest(audience, method, target,
                body == null || body.length == 0 ? "" : ContentDigest.of(body));
    }

    boolean hasBody() {
        return !contentDigest.isEmpty();
    }
}
