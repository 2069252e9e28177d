package io.cloudsentinel.crypto.service;

import io.cloudsentinel.crypto.KeyEncryptionKey;

/** Data keys at rest: AES-256-GCM under the key-encryption key, bound to their version. */
final class KeyWrapping {

    private KeyWrapping() {
    }

    static byte[] wrap(KeyEncryptionKey kek, int version, byte[] dataKey) {
        return io.cloudsentinel.crypto.Envelope.sealWithKek(kek, version, dataKey);
    }

    static byte[] unwrap(KeyEncryptionKey kek, int version, byte[] wrapped) {
        return io.cloudsentinel.crypto.Envelope.openWithKek(kek, version, wrapped);
    }
}
