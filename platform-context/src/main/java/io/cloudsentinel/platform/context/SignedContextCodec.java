package io.cloudsentinel.platform.context;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

import io.cloudsentinel.platform.tenant.Roles;
import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;

/**
 * Signs a tenant context into headers bound to one request (the gateway; a service calling another on a tenant's
 * behalf; tests) and verifies headers back into a context (every service's request filter). Only public keys verify:
 * a receiver holds nothing that could mint a context. Keys come in two kinds: the gateway's, which carry the caller's
 * verified roles, and services', which carry exactly the {@code service} role for one tenant.
 */
@ApplicationScoped
public class SignedContextCodec {

    /** Who signed a verified context. */
    public enum Signer {
        GATEWAY,
        SERVICE
    }

    private record TrustedKey(Ed25519PublicKeyParameters key, Signer signer) {
    }

    private final String audience;
    private final Optional<ContextKeys.SigningKey> signing;
    private final Map<String, TrustedKey> trusted;
    private final long ttlSeconds;
    private final long skewSeconds;
    private final Clock clock;

    @Inject
    public SignedContextCodec(ContextConfig config) {
        this(config, Clock.systemUTC());
    }

    SignedContextCodec(ContextConfig config, Clock clock) {
        if (config.ttl().compareTo(ContextConfig.MAX_TTL) > 0 || config.ttl().isNegative() || config.ttl().isZero()) {
            throw new IllegalArgumentException("cs.context.ttl must be more than 0 and at most "
                    + ContextConfig.MAX_TTL.toSeconds() + "s, was " + config.ttl());
        }
        this.audience = config.audience();
        this.signing = config.signingKey().filter(key -> !key.isBlank())
                .map(key -> ContextKeys.signingKey(key, "cs.context.signing-key"));
        Map<String, TrustedKey> trusted = new HashMap<>();
        ContextKeys.publicKeys(config.gatewayKeys().orElse(List.of()), "cs.context.gateway-keys")
                .forEach((id, key) -> trusted.put(id, new TrustedKey(key, Signer.GATEWAY)));
        ContextKeys.publicKeys(config.serviceKeys().orElse(List.of()), "cs.context.service-keys")
                .forEach((id, key) -> {
                    if (trusted.put(id, new TrustedKey(key, Signer.SERVICE)) != null) {
                        throw new IllegalArgumentException("key id " + id
                                + " is both in cs.context.gateway-keys and in cs.context.service-keys");
                    }
                });
        this.trusted = Map.copyOf(trusted);
        this.ttlSeconds = config.ttl().toSeconds();
        this.skewSeconds = config.clockSkew().toSeconds();
        this.clock = clock;
    }

    /** This service's name in the audience of the contexts it accepts. */
    public String audience() {
        return audience;
    }

    /** Headers that carry the context for this one request, for the configured ttl. */
    public Map<String, String> sign(TenantContext context, SignedRequest request) {
        return sign(context, request, clock.instant().plusSeconds(ttlSeconds));
    }

    /**
     * The context of this service acting for one tenant, as it signs its calls to another: the {@code service} role
     * and nothing else, whatever the caller it serves may hold.
     */
    public Map<String, String> signAsService(TenantId tenant, SignedRequest request) {
        return sign(new TenantContext(tenant, audience, Set.of(Roles.SERVICE)), request);
    }

    public Map<String, String> sign(TenantContext context, SignedRequest request, Instant expiresAt) {
        ContextKeys.SigningKey key = signing.orElseThrow(() -> new IllegalStateException(
                "this process has no cs.context.signing-key and cannot sign a context"));
        long expires = expiresAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ContextHeaders.TENANT, context.tenant().toString());
        headers.put(ContextHeaders.USER, context.userId());
        headers.put(ContextHeaders.ROLES, ContextSignature.roles(context));
        headers.put(ContextHeaders.EXPIRES, Long.toString(expires));
        headers.put(ContextHeaders.KEY_ID, key.keyId());
        headers.put(ContextHeaders.SIGNATURE, ContextSignature.sign(key.key(), key.keyId(), request, context, expires));
        if (request.hasBody()) {
            headers.put(ContentDigest.HEADER, request.contentDigest());
        }
        return headers;
    }

    /**
     * @param header the value of a request header by name, or null
     * @param method the request's method as received
     * @param target the request target as received (raw path and query)
     * @throws InvalidContextException with a reason fit for the caller; never which key or byte differed
     */
    public Verified verify(UnaryOperator<String> header, String method, String target) throws InvalidContextException {
        String tenant = header.apply(ContextHeaders.TENANT);
        String user = header.apply(ContextHeaders.USER);
        String roles = header.apply(ContextHeaders.ROLES);
        String expires = header.apply(ContextHeaders.EXPIRES);
        String keyId = header.apply(ContextHeaders.KEY_ID);
        String signature = header.apply(ContextHeaders.SIGNATURE);
        if (tenant == null && user == null && signature == null) {
            throw new InvalidContextException("the request carries no signed tenant context");
        }
        if (tenant == null || user == null || roles == null || expires == null || keyId == null
                || signature == null) {
            throw new InvalidContextException("the signed tenant context is incomplete");
        }
        String digest = header.apply(ContentDigest.HEADER);
        if (digest != null && !ContentDigest.isSha256(digest)) {
            throw new InvalidContextException("Content-Digest must be one sha-256 digest");
        }
        TenantContext context;
        long expiresAt;
        try {
            context = new TenantContext(TenantId.parse(tenant), user, parseRoles(roles));
            expiresAt = Long.parseLong(expires);
        } catch (IllegalArgumentException e) {
            throw new InvalidContextException("the signed tenant context is malformed");
        }
        TrustedKey key = trusted.get(keyId);
        SignedRequest request = new SignedRequest(audience, method, target, digest == null ? "" : digest.strip());
        if (key == null || !ContextSignature.matches(key.key(), keyId, request, context, expiresAt, signature)) {
            throw new InvalidContextException("the signature of the tenant context does not match this request");
        }
        long now = clock.instant().getEpochSecond();
        if (expiresAt + skewSeconds < now) {
            throw new InvalidContextException("the signed tenant context has expired");
        }
        if (expiresAt - now > ttlSeconds + skewSeconds) {
            throw new InvalidContextException("the signed tenant context claims a lifetime longer than allowed");
        }
        if (key.signer() == Signer.SERVICE && !context.roles().equals(Set.of(Roles.SERVICE))) {
            throw new InvalidContextException("a context signed by a service carries the service role only");
        }
        if (key.signer() == Signer.GATEWAY && context.hasRole(Roles.SERVICE)) {
            throw new InvalidContextException("the service role comes from a service's key only");
        }
        return new Verified(context, key.signer(), request.contentDigest());
    }

    /** A verified context, who signed it, and the body digest it covers (empty: it covers no body). */
    public record Verified(TenantContext context, Signer signer, String contentDigest) {
    }

    private static Set<String> parseRoles(String roles) {
        return Arrays.stream(roles.split(","))
                .map(String::strip)
                .filter(role -> !role.isEmpty())
                .collect(Collectors.toSet());
    }
}
