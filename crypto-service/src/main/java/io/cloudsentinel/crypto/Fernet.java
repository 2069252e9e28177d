package io.cloudsentinel.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the earlier system's Fernet tokens (version 0x80 ‖ timestamp ‖ IV ‖ AES-128-CBC ciphertext ‖ HMAC-SHA256)
 * so that rewrap can migrate them. Only decryption: Fernet tokens are never produced. The composition is written
 * here on the JDK's primitives (HMAC verified in constant time before any decryption) because the Java Fernet
 * libraries are small and thinly maintained, and the format is 30 lines.
 */
public final class Fernet {

    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int MAC_BYTES = 32;
    private static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    /** A 32-byte Fernet key: the first half signs, the second half encrypts. */
    public record Key(byte[] signing, byte[] encryption) {

        public static Key of(byte[] raw) {
            if (raw.length != 32) {
                throw new IllegalArgumentException("a Fernet key is 32 bytes");
            }
            return new Key(Arrays.copyOfRange(raw, 0, 16), Arrays.copyOfRange(raw, 16, 32));
        }

        /** URL-safe base64 of 32 bytes, as Fernet keys are written. */
        public static Key parse(String urlSafeBase64) {
            return of(Base64.getUrlDecoder().decode(urlSafeBase64.strip()));
        }

        /** How the earlier system derived its key from a master key string. */
        public static Key derivedFromMasterKey(String masterKey, byte[] salt) {
            char[] password = (masterKey + ":v1").toCharArray();
            try {
                byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(password, salt, 100_000, 256)).getEncoded();
                return of(raw);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        @Override
        public String toString() {
            return "Fernet.Key[redacted]";
        }
    }

    private Fernet() {
    }

    public static boolean looksLikeToken(String text) {
        return text != null && text.startsWith("gAAAAA");
    }

    /**
     * Decrypts with the first key whose HMAC matches. With a ttl, a token older than it, or more than 60 s in the
     * future, is refused, as the specification says; legacy migration passes no ttl.
     *
     * @throws DecryptionFailedException whatever the reason
     */
    public static byte[] decrypt(List<Key> keys, String token, Optional<Duration> ttl, Instant now) {
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailedException();
        }
        if (data.length < HEADER + 16 + MAC_BYTES || data[0] != VERSION
                || (data.length - HEADER - MAC_BYTES) % 16 != 0) {
            throw new DecryptionFailedException();
        }
        long timestamp = ByteBuffer.wrap(data, 1, 8).getLong();
        if (ttl.isPresent()) {
            if (Instant.ofEpochSecond(timestamp).plus(ttl.get()).isBefore(now)
                    || now.plus(MAX_CLOCK_SKEW).isBefore(Instant.ofEpochSecond(timestamp))) {
                throw new DecryptionFailedException();
            }
        }
        byte[] signed = Arrays.copyOfRange(data, 0, data.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(data, data.length - MAC_BYTES, data.length);
        for (Key key : keys) {
            if (MessageDigest.isEqual(hmac(key.signing(), signed), mac)) {
                return cbcDecrypt(key.encryption(), Arrays.copyOfRange(data, 9, HEADER),
                        Arrays.copyOfRange(data, HEADER, data.length - MAC_BYTES));
            }
        }
        throw new DecryptionFailedException();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(ciphertext);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new DecryptionFailedException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC is part of every JDK", e);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
