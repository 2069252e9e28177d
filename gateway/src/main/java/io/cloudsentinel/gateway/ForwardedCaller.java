package io.cloudsentinel.gateway;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.common.vertx.ContextLocals;

/**
 * The caller {@link EdgeRoutes} admitted, handed to the proxy step that signs the forwarded request
 * ({@link UpstreamRoutes}) once its body is known. It lives in the request's own (duplicated) Vert.x context, so two
 * requests never see each other's caller.
 */
final class ForwardedCaller {

    private static final String KEY = "cs.gateway.forwarded-caller";

    private ForwardedCaller() {
    }

    static void set(TenantContext caller) {
        ContextLocals.put(KEY, caller);
    }

    /** The caller of the request being proxied, or null when none was admitted (never proxied then). */
    static TenantContext get() {
        return ContextLocals.<TenantContext> get(KEY).orElse(null);
    }
}
