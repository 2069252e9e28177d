package io.cloudsentinel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev key pair carries the exponent the gateway recognises it by, and an unmarked older pair is replaced. */
class DevTokensTest {

    @Test
    void theDevKeyIsMarkedByItsExponentAndKeptBetweenRuns(@TempDir Path local) throws Exception {
        DevTokens tokens = new DevTokens(local);
        tokens.ensureKeys();
        String first = Files.readString(tokens.publicKey());
        tokens.ensureKeys();

        assertThat(DevTokens.hasDevExponent(first)).isTrue();
        assertThat(Files.readString(tokens.publicKey())).isEqualTo(first);
    }

    @Test
    void aPairOfAnEarlierLauncherWithoutTheMarkIsReplaced(@TempDir Path local) throws Exception {
        DevTokens tokens = new DevTokens(local);
        Files.createDirectories(tokens.publicKey().getParent());
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var old = generator.generateKeyPair();
        Files.write(tokens.publicKey().resolveSibling("dev-private.pk8"), old.getPrivate().getEncoded());
        Files.writeString(tokens.publicKey(), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(old.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");

        tokens.ensureKeys();

        assertThat(DevTokens.hasDevExponent(Files.readString(tokens.publicKey()))).isTrue();
    }
}
