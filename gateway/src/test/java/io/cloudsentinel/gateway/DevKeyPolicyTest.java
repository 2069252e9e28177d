package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * A strict launch refuses the published dev key by its fingerprint, however it is named or given; the local stack
 * (prod,local), dev mode and other keys pass.
 */
class DevKeyPolicyTest {

    /** The launcher's published dev key, as it ships in deploy/local. */
    private static final Path PUBLISHED = Path.of("../deploy/local/src/main/resources/dev-jwt/dev-public.pem");

    @Test
    void aStrictLaunchRefusesTheDevKeyWhateverItsFileOrProfileIsCalled() throws Exception {
        String pem = Files.readString(PUBLISHED);
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "/etc/keys/idp-public.pem", true, List.of("prod"))).get()
                .asString().contains("published dev key").contains("CS_JWT_PUBLIC_KEY_LOCATION");
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "renamed.pem", true, List.of("staging"))).isPresent();
        String bare = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        assertThat(DevKeyPolicy.problem(Optional.of(bare), "mp.jwt.verify.publickey", true, List.of("prod")))
                .as("given inline, without PEM armour").isPresent();
    }

    @Test
    void theLocalStackDevModeAndOtherKeysPass() throws Exception {
        String pem = Files.readString(PUBLISHED);
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "x", true, List.of("prod", "local"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "x", false, List.of("dev"))).isEmpty();

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String other = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator
                .generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertThat(DevKeyPolicy.problem(Optional.of(other), "/etc/keys/idp-public.pem", true, List.of("prod")))
                .isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("{\"keys\":[]}"), "jwks.json", true, List.of("prod"))).isEmpty();
    }
}
