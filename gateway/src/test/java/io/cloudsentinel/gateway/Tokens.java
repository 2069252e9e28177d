package io.cloudsentinel.gateway;

import java.util.Set;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.jwt.build.Jwt;

/** Bearer tokens as the identity provider would issue them, signed with the test key pair. */
final class Tokens {

    static final String ISSUER = "https://auth.cloudsentinel.dev";
    static final String AUDIENCE = "cloudsentinel-api";

    private Tokens() {
    }

    static String of(TenantId tenant, String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("user-of-" + tenant).claim("tenant_id", tenant.toString())
                .groups(roles.length == 0 ? Set.of("tenant-user") : Set.of(roles)).jws().sign();
    }
}
