package io.cloudsentinel.platform.context;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * Signs a service's call to another service on one tenant's behalf with this service's own key
 * ({@code cs.context.signing-key}): the context carries that tenant and the {@code service} role only, bound to the
 * callee, method, target and body. Register it on a MicroProfile REST Client interface
 * ({@code @RegisterProvider(ServiceContextSigning.class)}) whose methods name the tenant in {@link ContextHeaders#TENANT}
 * and the callee in {@link #AUDIENCE} (e.g. {@code @ClientHeaderParam(name = AUDIENCE, value = "budget-service")});
 * both are replaced by the signed context. The body is serialised here, once, so that the bytes sent are the bytes
 * whose digest is signed.
 */
@ApplicationScoped
public class ServiceContextSigning implements ClientRequestFilter {

    /** The callee's name (its {@code cs.context.audience}); never sent. */
    public static final String AUDIENCE = "X-CS-Audience";

    private final SignedContextCodec codec;
    private final ObjectMapper json;

    public ServiceContextSigning(SignedContextCodec codec, ObjectMapper json) {
        this.codec = codec;
        this.json = json;
    }

    @Override
    public void filter(ClientRequestContext request) throws IOException {
        String tenant = request.getHeaderString(ContextHeaders.TENANT);
        String audience = request.getHeaderString(AUDIENCE);
        if (tenant == null || audience == null) {
            throw new IllegalStateException("a call signed for a tenant names the tenant (" + ContextHeaders.TENANT
                    + ") and the callee (" + AUDIENCE + ")");
        }
        List.copyOf(request.getHeaders().keySet()).stream().filter(ContextHeaders::isContextHeader)
                .forEach(request.getHeaders()::remove);
        byte[] body = null;
        if (request.hasEntity()) {
            Object entity = request.getEntity();
            body = entity instanceof byte[] bytes ? bytes
                    : entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                            : json.writeValueAsBytes(entity);
            MediaType type = request.getMediaType() == null ? MediaType.APPLICATION_JSON_TYPE : request.getMediaType();
            request.setEntity(body, request.getEntityAnnotations(), type);
        }
        URI uri = request.getUri();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        codec.signAsService(TenantId.parse(tenant), SignedRequest.withBody(audience, request.getMethod(), target, body))
                .forEach(request.getHeaders()::putSingle);
    }
}
