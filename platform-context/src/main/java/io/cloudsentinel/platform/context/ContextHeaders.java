package io.cloudsentinel.platform.context;

import java.util.List;

/**
 * The headers of the signed tenant context. The gateway strips every header under {@link #PREFIX} that a client
 * sent and sets these after verifying the caller's token.
 */
public final class ContextHeaders {

    public static final String PREFIX = "X-CS-";
    public static final String TENANT = "X-CS-Tenant-Id";
    public static final String USER = "X-CS-User-Id";
    public static final String ROLES = "X-CS-Roles";
    public static final String EXPIRES = "X-CS-Context-Expires";
    public static final String KEY_ID = "X-CS-Context-Key";
    public static final String SIGNATURE = "X-CS-Context-Signature";

    public static final List<String> ALL = List.of(TENANT, USER, ROLES, EXPIRES, KEY_ID, SIGNATURE);

    private ContextHeaders() {
    }

    public static boolean isContextHeader(String name) {
        return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }
}
