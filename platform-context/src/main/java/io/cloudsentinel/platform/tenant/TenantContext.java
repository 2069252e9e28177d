package io.cloudsentinel.platform.tenant;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Who acts, for which tenant, with which roles: what the gateway verified and signed. */
public record TenantContext(TenantId tenant, String userId, Set<String> roles) {

    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final int MAX_USER_ID_LENGTH = 256;

    public TenantContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(userId, "userId");
        if (userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH || userId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("user id must be 1-" + MAX_USER_ID_LENGTH + " characters without controls");
        }
        roles = Set.copyOf(roles);
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("role '" + role + "' must match " + ROLE.pattern());
            }
        }
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** @throws RoleMissingException when the caller has none of the roles (answered as 403) */
    public void requireAnyRole(String... allowed) {
        if (Arrays.stream(allowed).noneMatch(roles::contains)) {
            throw new RoleMissingException(Arrays.asList(allowed));
        }
    }
}
