package io.cloudsentinel.testing;

/**
 * The Ed25519 key pairs of tests, published here on purpose: services trust {@link #GATEWAY_PUBLIC} (and
 * {@link #SERVICE_PUBLIC} as a service key) in their test profile, and refuse to start with any of them outside dev
 * and test ({@code ContextKeyPolicy} knows their public halves).
 */
public final class ContextTestKeys {

    public static final String GATEWAY_PRIVATE = "test-gateway:MC4CAQAwBQYDK2VwBCIEIAwzy1rNeimqfiXDWmFFUBGhNOaV+tuytVsAaPFMe2b6";
    public static final String GATEWAY_PUBLIC = "test-gateway:MCowBQYDK2VwAyEANNjMI5Hr2ZWo57CuipQvkWrEoJUaHwzb1zTJimsY4Xk=";
    public static final String SERVICE_PRIVATE = "test-service:MC4CAQAwBQYDK2VwBCIEIAsiLwZvs7W4M7+xbR5Pl6AAP8HsKDTZ6a8MxFeLrwHQ";
    public static final String SERVICE_PUBLIC = "test-service:MCowBQYDK2VwAyEAuk2gQB3Qk4knhFSE7TUPnWBueBzyR3spqzAzMct+SfE=";
    /** A gateway key being rotated out: still trusted where a test configures it, never used to sign by default. */
    public static final String PREVIOUS_GATEWAY_PRIVATE = "test-gateway-previous:MC4CAQAwBQYDK2VwBCIEIDgngGwuQV8Hq2eyoO6w+PXN5BHGOFNAewlLzrD/lWv3";
    public static final String PREVIOUS_GATEWAY_PUBLIC = "test-gateway-previous:MCowBQYDK2VwAyEANfgAjchRFm7CktescAnXAbps7stn04l16pvKB8iLNbc=";
    /** A key no service trusts. */
    public static final String UNTRUSTED_PRIVATE = "test-untrusted:MC4CAQAwBQYDK2VwBCIEIBjpoxqSmt8dpHZXIEl9WGlI63qG1flA02oNJE2RVl/X";

    private ContextTestKeys() {
    }
}
