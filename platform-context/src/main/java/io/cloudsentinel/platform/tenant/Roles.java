package io.cloudsentinel.platform.tenant;

/** The roles a caller's token grants (JWT {@code groups}), carried in the signed context. */
public final class Roles {

    public static final String TENANT_USER = "tenant-user";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String PLATFORM_ADMIN = "platform-admin";
    /** A service acting for a tenant, e.g. job-service calling budget-service. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
