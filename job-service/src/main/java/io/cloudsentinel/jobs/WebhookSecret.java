package io.cloudsentinel.jobs;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A webhook's signing secret in the Standard Webhooks form: {@code whsec_} and the base64 of 32 random bytes. It is
 * shown to the tenant once and stored only sealed by crypto-service under {@link #PURPOSE}.
 */
public final class WebhookSecret {

    public static final String PURPOSE = "webhook_secret";
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {
    }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
