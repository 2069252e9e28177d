package io.cloudsentinel.platform.context;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

import io.cloudsentinel.platform.tenant.TenantContext;

/**
 * Puts the request's tenant, request id and trace id into the logging MDC, so that every line a request logs (the
 * JSON console format prints the MDC) says whose work it was and which request and trace it belongs to. Quarkus keeps
 * the MDC on the request's Vert.x context, so it follows the request across threads and ends with it. Only ids: never
 * the user id or anything the caller sent in a body.
 */
public final class LogContext {

    public static final String TENANT_ID = "tenantId";
    public static final String REQUEST_ID = "requestId";
    public static final String TRACE_ID = "traceId";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String TRACEPARENT_HEADER = "traceparent";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    private LogContext() {
    }

    static void enter(TenantContext context, String requestId, String traceparent) {
        MDC.put(TENANT_ID, context.tenant().toString());
        if (requestId != null && SAFE_ID.matcher(requestId).matches()) {
            MDC.put(REQUEST_ID, requestId);
        }
        if (traceparent != null) {
            Matcher trace = TRACEPARENT.matcher(traceparent);
            if (trace.matches()) {
                MDC.put(TRACE_ID, trace.group(1));
            }
        }
    }
}
