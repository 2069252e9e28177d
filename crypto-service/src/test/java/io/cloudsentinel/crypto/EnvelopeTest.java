package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;

/** The envelope without the service: every seal draws a fresh nonce. */
class EnvelopeTest {

    @Test
    void sealingTheSamePlaintextTwiceUsesTwoNoncesAndBothOpen() {
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        SecretKeySpec dataKey = new SecretKeySpec(keyBytes, "AES");
        TenantId tenant = TenantId.random();
        byte[] plaintext = "the same secret".getBytes();

        // through the text form, the way a ciphertext leaves and comes back
        Ciphertext first = Ciphertext.parse(Envelope.seal(dataKey, 7, tenant, "p", plaintext).toString());
        Ciphertext second = Ciphertext.parse(Envelope.seal(dataKey, 7, tenant, "p", plaintext).toString());

        assertThat(nonce(first)).isNotEqualTo(nonce(second));
        assertThat(first.sealed()).isNotEqualTo(second.sealed());
        assertThat(Envelope.open(dataKey, first, tenant, "p")).isEqualTo(plaintext);
        assertThat(Envelope.open(dataKey, second, tenant, "p")).isEqualTo(plaintext);
    }

    /** The first 96 bits of {@code nonce ‖ ciphertext ‖ tag}. */
    static byte[] nonce(Ciphertext ciphertext) {
        return Arrays.copyOf(ciphertext.sealed(), Aead.NONCE_BYTES);
    }
}
