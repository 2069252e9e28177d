package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The prod profile refuses the dev key pair; the local stack (prod,local) and other keys pass. */
class DevKeyPolicyTest {

    private static final Optional<String> DEV_KEY = Optional.of("/home/dev/cloudsentinel/.local/jwt/dev-public.pem");

    @Test
    void prodRefusesTheDevKeyPair() {
        assertThat(DevKeyPolicy.problem(DEV_KEY, List.of("prod"))).get().asString()
                .contains("dev key pair").contains("CS_JWT_PUBLIC_KEY_LOCATION");
        assertThat(DevKeyPolicy.problem(Optional.of("/etc/keys/dev-public.pem"), List.of("prod"))).isPresent();
    }

    @Test
    void theLocalStackAndRealKeysPass() {
        assertThat(DevKeyPolicy.problem(DEV_KEY, List.of("prod", "local"))).isEmpty();
        assertThat(DevKeyPolicy.problem(DEV_KEY, List.of("test"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("https://idp.example.com/.well-known/jwks.json"),
                List.of("prod"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("/etc/keys/idp-public.pem"), List.of("prod"))).isEmpty();
    }
}
