package io.cloudsentinel.budget;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A token as the earlier system's Fernet encrypted its secrets, made from the specification
 * (github.com/fernet/spec): version 0x80, timestamp, IV, AES-128-CBC of the plaintext, HMAC-SHA256 over all of it.
 */
final class LegacyFernetToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LegacyFernetToken() {
    }

    /** @param key url-safe base64 of 32 bytes: the first half signs, the second encrypts */
    static String of(String key, String plaintext) {
        byte[] raw = Base64.getUrlDecoder().decode(key);
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(raw, 16, 32), "AES"),
                    new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer signed = ByteBuffer.allocate(1 + 8 + 16 + ciphertext.length);
            signed.put((byte) 0x80).putLong(Instant.now().getEpochSecond()).put(iv).put(ciphertext);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Arrays.copyOfRange(raw, 0, 16), "HmacSHA256"));
            byte[] mac = hmac.doFinal(signed.array());
            return Base64.getUrlEncoder().encodeToString(ByteBuffer.allocate(signed.capacity() + mac.length)
                    .put(signed.array()).put(mac).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Fernet key of nobody: its tokens open under no configured legacy key. */
    static String unknownKey() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().encodeToString(raw);
    }
}
