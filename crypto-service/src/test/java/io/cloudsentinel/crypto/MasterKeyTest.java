package io.cloudsentinel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The id recorded with each wrapped data key, and one key-encryption key per iteration count. */
class MasterKeyTest {

    private static final String KEY = "a-long-private-master-key-of-more-than-32-bytes!";
    private static final byte[] SALT = "thirty-two-bytes-of-salt-0123456".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SALT = "thirty-two-bytes-of-salt-6543210".getBytes(StandardCharsets.UTF_8);

    @Test
    void theIdIsTheSameForTheSameKeyAndSaltAndDiffersOtherwise() {
        String id = MasterKey.of(KEY, SALT).id();

        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(MasterKey.of(KEY, SALT).id()).isEqualTo(id);
        assertThat(MasterKey.of(KEY + "?", SALT).id()).isNotEqualTo(id);
        assertThat(MasterKey.of(KEY, OTHER_SALT).id()).isNotEqualTo(id);
    }

    @Test
    void theIdShowsNeitherTheKeyNorItsKeyEncryptionKey() {
        MasterKey master = MasterKey.of(KEY, SALT);
        byte[] kek = master.kek(1_000).key().getEncoded();

        assertThat(master.toString()).isEqualTo("MasterKey[" + master.id() + "]").doesNotContain(KEY);
        assertThat(master.id()).isNotEqualTo(java.util.HexFormat.of().formatHex(kek, 0, 8));
    }

    @Test
    void eachIterationCountIsItsOwnKeyEncryptionKey() {
        MasterKey master = MasterKey.of(KEY, SALT);
        byte[] dataKey = new byte[32];
        byte[] wrapped = Envelope.sealWithKek(master.kek(1_000), 7, dataKey);

        assertThat(Envelope.openWithKek(master.kek(1_000), 7, wrapped)).isEqualTo(dataKey);
        assertThatThrownBy(() -> Envelope.openWithKek(master.kek(2_000), 7, wrapped))
                .isInstanceOf(DecryptionFailedException.class);
    }
}
