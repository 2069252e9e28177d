package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * A strict launch refuses a dev key of the launcher (its public exponent), however it is named or given; the local
 * stack (prod,local), dev mode and identity providers' keys pass.
 */
class DevKeyPolicyTest {

    @Test
    void aStrictLaunchRefusesADevKeyWhateverItsFileOrProfileIsCalled() throws Exception {
        String pem = pem(DevKeyPolicy.DEV_EXPONENT);
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "/etc/keys/idp-public.pem", true, List.of("prod"))).get()
                .asString().contains("dev key").contains("CS_JWT_PUBLIC_KEY_LOCATION");
        assertThat(DevKeyPolicy.problem(Optional.of(pem), "renamed.pem", true, List.of("staging"))).isPresent();
        String bare = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        assertThat(DevKeyPolicy.problem(Optional.of(bare), "mp.jwt.verify.publickey", true, List.of("prod")))
                .as("given inline, without PEM armour").isPresent();
    }

    @Test
    void theLocalStackDevModeAndIdentityProvidersKeysPass() throws Exception {
        String dev = pem(DevKeyPolicy.DEV_EXPONENT);
        assertThat(DevKeyPolicy.problem(Optional.of(dev), "x", true, List.of("prod", "local"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of(dev), "x", false, List.of("dev"))).isEmpty();

        assertThat(DevKeyPolicy.problem(Optional.of(pem(BigInteger.valueOf(65537))), "/etc/keys/idp-public.pem",
                true, List.of("prod"))).isEmpty();
        assertThat(DevKeyPolicy.problem(Optional.of("{\"keys\":[]}"), "jwks.json", true, List.of("prod"))).isEmpty();
    }

    private static String pem(BigInteger exponent) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(2048, exponent));
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair()
                .getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }
}
