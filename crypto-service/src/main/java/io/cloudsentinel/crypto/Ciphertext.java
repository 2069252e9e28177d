package io.cloudsentinel.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * {@code cs:v<N>:<base64url(nonce ‖ ciphertext ‖ tag)>}. The associated data binds the tenant, the purpose and the
 * version, so a ciphertext never decrypts for another tenant or purpose, and its version cannot be relabelled.
 */
public record Ciphertext(int version, byte[] sealed) {

    private static final Pattern FORMAT = Pattern.compile("cs:v([1-9][0-9]{0,8}):([A-Za-z0-9_-]+)");

    public static Ciphertext parse(String text) {
        Matcher matcher = text == null ? null : FORMAT.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new DecryptionFailedException();
        }
        try {
            return new Ciphertext(Integer.parseInt(matcher.group(1)),
                    Base64.getUrlDecoder().decode(matcher.group(2)));
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailedException();
        }
    }

    public static boolean looksVersioned(String text) {
        return text != null && text.startsWith("cs:v");
    }

    @Override
    public String toString() {
        return "cs:v" + version + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    static byte[] associatedData(TenantId tenant, String purpose, int version) {
        return ("cs-crypto-v1\n" + tenant + "\n" + purpose + "\n" + version).getBytes(StandardCharsets.UTF_8);
    }
}
