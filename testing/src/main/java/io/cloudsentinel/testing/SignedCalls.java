package io.cloudsentinel.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cloudsentinel.platform.context.ContextConfigs;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.platform.context.SignedRequest;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Calls a service as the gateway does: each request carries a context signed with the test gateway key for that
 * service, method, target and body. {@link #filter} signs RestAssured requests when they are sent (the method, path
 * and body are known only then); {@link #headers} serves plain HTTP clients.
 */
public final class SignedCalls {

    private final SignedContextCodec codec;
    private final String audience;

    public SignedCalls(String signingKey, String audience) {
        this.codec = new SignedContextCodec(ContextConfigs.signer(signingKey));
        this.audience = audience;
    }

    /** As the test gateway, for the service named {@code audience}. */
    public static SignedCalls asGateway(String audience) {
        return new SignedCalls(ContextTestKeys.GATEWAY_PRIVATE, audience);
    }

    public Map<String, String> headers(TenantContext context, String method, String target, byte[] body) {
        return codec.sign(context, SignedRequest.withBody(audience, method, target, body));
    }

    public Map<String, String> headers(TenantContext context, String method, String target, String body) {
        return headers(context, method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** A RestAssured filter that signs the request for {@code context} as it is sent. */
    public Filter filter(TenantContext context) {
        return new Filter() {
            @Override
            public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                    FilterContext ctx) {
                URI uri = URI.create(request.getURI());
                String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                headers(context, request.getMethod(), target, body(request)).forEach(request::header);
                return ctx.next(request, response);
            }
        };
    }

    private static byte[] body(FilterableRequestSpecification request) {
        Object body = request.getBody();
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
