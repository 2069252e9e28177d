package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A strict launch refuses the dev key pair; the local stack (prod,local), dev mode and other keys pass. */
class DevKeyPolicyTest {

    private static final Optional<String> DEV_KEY = Optional.of("/home/dev/cloudsentinel/.local/jwt/dev-public.pem");

    @Test
    void aStrictLaunchRefusesTheDevKeyPairWhateverItsProfileIsCalled() {
        assertThat(DevKeyPolicy.problem(DEV_KEY, true, List.of("prod"))).get().asString()
                .contains("dev key pair").contains("CS_JWT_PUBLIC_KEY_LOCATION");
        assertThat(DevKeyPolicy.problem(DEV_KEY, true, List.of("staging"))).isPresent();
        assertThat(DevKeyPolicy.problem(Optional.of("/etc/keys/dev-public.pem"), true, List.of("prod"))).isPresent();
    }

    @Test
    void theLocalStackDevModeAndRealKeysPass() {
        assertThat(DevKeyPolicy.problem(DEV_KEY, true, List.of("prod", "local"))).isEmpty();
        assertThat(DevKeyPolicy.problem(DEV_KEY, false, List.of("dev"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("https://idp.example.com/.well-known/jwks.json"), true,
                List.of("prod"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("/etc/keys/idp-public.pem"), true, List.of("prod"))).isEmpty();
    }
}
