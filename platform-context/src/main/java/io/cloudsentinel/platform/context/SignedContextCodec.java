package io.cloudsentinel.platform.context;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.cloudsentinel.platform.tenant.TenantId;

/**
 * Signs a tenant context into headers (the gateway, services calling services on a tenant's behalf, tests) and
 * verifies headers back into a context (every service's request filter).
 */
@ApplicationScoped
public class SignedContextCodec {

    private final ContextSignature signing;
    private final List<ContextSignature> accepted;
    private final long ttlSeconds;
    private final long skewSeconds;
    private final Clock clock;

    @Inject
    public SignedContextCodec(ContextConfig config) {
        this(config, Clock.systemUTC());
    }

    SignedContextCodec(ContextConfig config, Clock clock) {
        this.signing = new ContextSignature(config.secret().getBytes(StandardCharsets.UTF_8));
        List<ContextSignature> accepted = new ArrayList<>();
        accepted.add(signing);
        config.previousSecrets().orElse(List.of()).stream()
                .filter(secret -> !secret.isBlank())
                .map(secret -> new ContextSignature(secret.getBytes(StandardCharsets.UTF_8)))
                .forEach(accepted::add);
        this.accepted = List.copyOf(accepted);
        this.ttlSeconds = config.ttl().toSeconds();
        this.skewSeconds = config.clockSkew().toSeconds();
        this.clock = clock;
    }

    /** Headers that carry the context for the configured ttl. */
    public Map<String, String> sign(TenantContext context) {
        return sign(context, clock.instant().plusSeconds(ttlSeconds));
    }

    public Map<String, String> sign(TenantContext context, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ContextHeaders.TENANT, context.tenant().toString());
        headers.put(ContextHeaders.USER, context.userId());
        headers.put(ContextHeaders.ROLES, ContextSignature.roles(context));
        headers.put(ContextHeaders.EXPIRES, Long.toString(expires));
        headers.put(ContextHeaders.SIGNATURE, signing.sign(context, expires));
        return headers;
    }

    /**
     * @param header the value of a request header by name, or null
     * @throws InvalidContextException with a reason fit for the caller; never which secret or byte differed
     */
    public TenantContext verify(UnaryOperator<String> header) throws InvalidContextException {
        String tenant = header.apply(ContextHeaders.TENANT);
        String user = header.apply(ContextHeaders.USER);
        String roles = header.apply(ContextHeaders.ROLES);
        String expires = header.apply(ContextHeaders.EXPIRES);
        String signature = header.apply(ContextHeaders.SIGNATURE);
        if (tenant == null && user == null && signature == null) {
            throw new InvalidContextException("the request carries no signed tenant context");
        }
        if (tenant == null || user == null || roles == null || expires == null || signature == null) {
            throw new InvalidContextException("the signed tenant context is incomplete");
        }
        TenantContext context;
        long expiresAt;
        try {
            context = new TenantContext(TenantId.parse(tenant), user, parseRoles(roles));
            expiresAt = Long.parseLong(expires);
        } catch (IllegalArgumentException e) {
            throw new InvalidContextException("the signed tenant context is malformed");
        }
        if (!ContextSignature.matches(accepted, context, expiresAt, signature)) {
            throw new InvalidContextException("the signature of the tenant context does not match");
        }
        long now = clock.instant().getEpochSecond();
        if (expiresAt + skewSeconds < now) {
            throw new InvalidContextException("the signed tenant context has expired");
        }
        if (expiresAt - now > ttlSeconds + skewSeconds) {
            throw new InvalidContextException("the signed tenant context claims a lifetime longer than allowed");
        }
        return context;
    }

    private static Set<String> parseRoles(String roles) {
        return Arrays.stream(roles.split(","))
                .map(String::strip)
                .filter(role -> !role.isEmpty())
                .collect(Collectors.toSet());
    }
}
