package io.cloudsentinel.platform.context;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The Ed25519 keys of the signed context as configuration writes them: {@code <key id>:<base64 DER>}, the standard
 * encodings {@code openssl genpkey -algorithm ed25519} and the JDK produce (PKCS#8 for a private key, X.509
 * SubjectPublicKeyInfo for a public one). A value in PEM armour is accepted too. A malformed entry fails the start
 * with the entry's position and key id, never its bytes.
 */
public final class ContextKeys {

    /** A key id: letters, digits, {@code ._-}, up to 64; it travels in a header and names the key in logs. */
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A signing key and the id receivers know its public half by. */
    public record SigningKey(String keyId, Ed25519PrivateKeyParameters key) {
        public Ed25519PublicKeyParameters publicKey() {
            return key.generatePublicKey();
        }
    }

    /** A new key pair as configuration writes it: the signer's entry and the receivers' entry. */
    public record Generated(String signingKey, String publicKey) {
    }

    private ContextKeys() {
    }

    /** A fresh key pair with this key id, for launchers and tests that start services in the prod profile. */
    public static Generated generate(String keyId) {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id is letters, digits and ._- (up to 64)");
        }
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        try {
            return new Generated(keyId + ":" + Base64.getEncoder().encodeToString(
                    PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()), entry(keyId,
                            key.generatePublicKey()));
        } catch (IOException e) {
            throw new IllegalStateException("an Ed25519 private key always encodes", e);
        }
    }

    public static SigningKey signingKey(String entry, String setting) {
        String[] parts = split(entry, setting);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(der(parts[1], setting, parts[0]));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": key " + parts[0] + " is not a PKCS#8 Ed25519 private key");
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
            throw new IllegalArgumentException(setting + ": key " + parts[0] + " is not an Ed25519 key");
        }
        return new SigningKey(parts[0], ed25519);
    }

    /** Public keys by key id, in the order configured; a key id given twice is refused. */
    public static Map<String, Ed25519PublicKeyParameters> publicKeys(List<String> entries, String setting) {
        Map<String, Ed25519PublicKeyParameters> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = split(entry, setting);
            if (keys.put(parts[0], publicKey(parts[0], parts[1], setting)) != null) {
                throw new IllegalArgumentException(setting + ": key id " + parts[0] + " is given twice");
            }
        }
        return keys;
    }

    /** The {@code <key id>:<base64 DER>} entry of a public key, as receivers configure it. */
    public static String entry(String keyId, Ed25519PublicKeyParameters key) {
        return keyId + ":" + encoded(key);
    }

    /** The base64 of a public key's X.509 encoding: what identifies it whatever key id it is given. */
    static String encoded(Ed25519PublicKeyParameters key) {
        try {
            return Base64.getEncoder()
                    .encodeToString(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("an Ed25519 public key always encodes", e);
        }
    }

    private static Ed25519PublicKeyParameters publicKey(String keyId, String encoded, String setting) {
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(der(encoded, setting, keyId));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": key " + keyId + " is not an X.509 Ed25519 public key");
        }
        if (!(key instanceof Ed25519PublicKeyParameters ed25519)) {
            throw new IllegalArgumentException(setting + ": key " + keyId + " is not an Ed25519 key");
        }
        return ed25519;
    }

    private static String[] split(String entry, String setting) {
        int colon = entry.indexOf(':');
        String keyId = colon < 0 ? "" : entry.substring(0, colon).strip();
        if (colon < 0 || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(setting + ": an entry must read <key id>:<base64 DER>, with a key id"
                    + " of letters, digits and ._- (up to 64)");
        }
        return new String[] { keyId, entry.substring(colon + 1) };
    }

    private static byte[] der(String encoded, String setting, String keyId) {
        String base64 = encoded.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": key " + keyId + " is not base64");
        }
    }
}
