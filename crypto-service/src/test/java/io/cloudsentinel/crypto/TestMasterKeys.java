package io.cloudsentinel.crypto;

/** The master keys of tests, published here on purpose (KeyMaterialPolicy refuses them outside dev and test). */
final class TestMasterKeys {

    /** ENCRYPTION_KEY and KDF_SALT of the test profile. */
    static final String CURRENT = "test-only-encryption-key-0123456789abcdef";
    static final String CURRENT_SALT = "dGVzdC1vbmx5LWtkZi1zYWx0LTAxMjM0NTY3ODlhYmM=";
    /** The master key before it, where a test configures one (ENCRYPTION_KEY_PREVIOUS, KDF_SALT_PREVIOUS). */
    static final String PREVIOUS = "test-only-previous-encryption-key-0123456789";
    static final String PREVIOUS_SALT = "dGVzdC1vbmx5LXByZXZpb3VzLWtkZi1zYWx0LTAxMjM=";

    static final int ITERATIONS = 600_000;

    private TestMasterKeys() {
    }
}
