package io.cloudsentinel.gateway;

import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;

/** Turns a verified token into the tenant context the gateway signs for the services. */
final class Caller {

    static final Set<String> GRANTABLE_ROLES = Set.of(Roles.TENANT_USER, Roles.TENANT_ADMIN, Roles.PLATFORM_ADMIN);

    private Caller() {
    }

    /**
     * @param operator whether the token was verified as an operators' token: only then is {@code platform-admin}
     *        forwarded (its powers span every tenant); a tenant's token that carries it loses it
     * @throws IllegalArgumentException when the token names no tenant (or not a UUID)
     */
    static TenantContext of(JsonWebToken token, boolean operator) {
        Object tenant = token.getClaim("tenant_id");
        if (tenant == null) {
            throw new IllegalArgumentException("the token names no tenant");
        }
        TenantId tenantId = TenantId.parse(tenant.toString().replace("\"", ""));
        // Only the roles the suite knows are forwarded; "service" is for services, never for callers.
        Set<String> roles = token.getGroups() == null ? Set.of()
                : token.getGroups().stream().filter(GRANTABLE_ROLES::contains)
                        .filter(role -> operator || !role.equals(Roles.PLATFORM_ADMIN)).collect(Collectors.toSet());
        String subject = token.getSubject() == null ? "unknown" : token.getSubject();
        return new TenantContext(tenantId, subject, roles);
    }
}
