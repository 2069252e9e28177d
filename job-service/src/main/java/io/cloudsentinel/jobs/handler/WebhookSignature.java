package io.cloudsentinel.jobs.handler;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of Standard Webhooks: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code <webhook-id>.<webhook-timestamp>.<body>} under the secret's key (the base64 after {@code whsec_}); one per
 * secret, space-separated, so that a receiver that knows either secret verifies during a rotation.
 */
public final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private WebhookSignature() {
    }

    /** The header value for these secrets (the current one first). */
    public static String header(List<String> secrets, String messageId, long timestamp, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook is signed with one secret at least");
        }
        return secrets.stream().map(secret -> sign(secret, messageId, timestamp, body))
                .collect(Collectors.joining(" "));
    }

    static String sign(String secret, String messageId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // never the secret itself in the message
            throw new IllegalArgumentException("a webhook secret is whsec_ and base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret is whsec_ and base64");
        }
        return key;
    }
}
