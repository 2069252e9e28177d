package io.cloudsentinel.e2e;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The earlier system's encryption as it wrote its tokens: a Fernet key (16 bytes signing ‖ 16 bytes encryption,
 * url-safe base64) and tokens per the Fernet spec (0x80 ‖ timestamp ‖ IV ‖ AES-128-CBC ‖ HMAC-SHA256). Written
 * here from the spec, with the JDK's ciphers, because the scenarios must produce tokens the way that system did and
 * crypto-service only reads them.
 */
final class LegacyFernet {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private LegacyFernet(byte[] key) {
        this.key = key;
    }

    static LegacyFernet generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new LegacyFernet(key);
    }

    /** The key as the earlier system's configuration held it. */
    String key() {
        return Base64.getUrlEncoder().encodeToString(key);
    }

    String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[16];
            RANDOM.nextBytes(iv);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(key, 16, 32), "AES"),
                    new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer signed = ByteBuffer.allocate(1 + 8 + 16 + ciphertext.length);
            signed.put((byte) 0x80).putLong(System.currentTimeMillis() / 1000).put(iv).put(ciphertext);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Arrays.copyOfRange(key, 0, 16), "HmacSHA256"));
            byte[] tag = hmac.doFinal(signed.array());
            return Base64.getUrlEncoder().encodeToString(ByteBuffer.allocate(signed.capacity() + tag.length)
                    .put(signed.array()).put(tag).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
