package io.cloudsentinel.crypto;

import javax.crypto.SecretKey;

import io.cloudsentinel.platform.tenant.TenantId;

/** Seals and opens data under a data key (tenant, purpose and version bound) or under the key-encryption key. */
public final class Envelope {

    private Envelope() {
    }

    public static Ciphertext seal(SecretKey dataKey, int version, TenantId tenant, String purpose, byte[] plaintext) {
        return new Ciphertext(version, Aead.seal(dataKey, plaintext, Ciphertext.associatedData(tenant, purpose,
                version)));
    }

    public static byte[] open(SecretKey dataKey, Ciphertext ciphertext, TenantId tenant, String purpose) {
        return Aead.open(dataKey, ciphertext.sealed(), Ciphertext.associatedData(tenant, purpose,
                ciphertext.version()));
    }

    public static byte[] sealWithKek(KeyEncryptionKey kek, int version, byte[] dataKey) {
        return Aead.seal(kek.key(), dataKey, KeyEncryptionKey.wrapContext(version));
    }

    public static byte[] openWithKek(KeyEncryptionKey kek, int version, byte[] wrapped) {
        return Aead.open(kek.key(), wrapped, KeyEncryptionKey.wrapContext(version));
    }
}
