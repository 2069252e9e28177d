package io.cloudsentinel.platform.tenant;

/**
 * Tenant work was attempted without a tenant: a defect, never a reason to return nothing. Raised by
 * {@code TenantTransactions} and translated from PostgreSQL's SQLSTATE {@value #SQLSTATE}.
 */
public class TenantContextMissingException extends RuntimeException {

    /** Raised by the SQL function cs_current_tenant() when app.tenant_id is missing or empty. */
    public static final String SQLSTATE = "CS001";

    public TenantContextMissingException(String message) {
        super(message);
    }

    public TenantContextMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
