package io.cloudsentinel.platform.context;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.cloudsentinel.platform.tenant.TenantContext;

/**
 * HMAC-SHA256 with one secret over a canonical text of tenant, user, sorted roles and expiry. Versioned ("v1=") so
 * that the scheme can change without ambiguity; the fields are separated by newlines, which none of them may contain.
 * The key is set up once: each thread reuses a copy of a keyed {@link Mac} ({@code doFinal} leaves it keyed), because
 * {@code Mac.getInstance} and {@code init} on every request were the gateway's largest cost of its own.
 */
final class ContextSignature {

    static final String VERSION = "v1=";
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac keyed;
    private final ThreadLocal<Mac> perThread = ThreadLocal.withInitial(this::copyOfKeyed);

    ContextSignature(byte[] secret) {
        try {
            keyed = Mac.getInstance(ALGORITHM);
            keyed.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    String sign(TenantContext context, long expiresEpochSecond) {
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(canonical(context,
                expiresEpochSecond)));
    }

    /** Constant-time check against each accepted secret (current first, then those being rotated out). */
    static boolean matches(List<ContextSignature> secrets, TenantContext context, long expiresEpochSecond,
            String signature) {
        if (signature == null || !signature.startsWith(VERSION)) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(signature.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] canonical = canonical(context, expiresEpochSecond);
        boolean matched = false;
        for (ContextSignature secret : secrets) {
            matched |= MessageDigest.isEqual(secret.mac(canonical), presented);
        }
        return matched;
    }

    static String roles(TenantContext context) {
        return String.join(",", new TreeSet<>(context.roles()));
    }

    private static byte[] canonical(TenantContext context, long expiresEpochSecond) {
        return ("cs-context-v1\n" + context.tenant() + "\n" + context.userId() + "\n" + roles(context) + "\n"
                + expiresEpochSecond).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mac(byte[] data) {
        return perThread.get().doFinal(data);
    }

    private Mac copyOfKeyed() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }
}
