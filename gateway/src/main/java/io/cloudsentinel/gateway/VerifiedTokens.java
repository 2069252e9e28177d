package io.cloudsentinel.gateway;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies bearer tokens with SmallRye JWT and remembers the callers of tokens it verified until they expire (at
 * most {@link #MAX_AGE}): a client sends the same token on every request, and an RSA verification per request was
 * the gateway's largest cost. The key is the whole Authorization header, signature included, so only the very token
 * that was verified is found (and a hit copies nothing); a token is never valid past its {@code exp}, cached or not.
 * A token of the configured operators' issuer is verified with the operators' key and may carry {@code platform-admin};
 * any other token is verified as a tenant's and loses that role.
 */
@ApplicationScoped
public class VerifiedTokens {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer ";

    private record Verified(TenantContext caller, Instant expiresAt) {
    }

    private final JWTParser parser;
    private final Optional<Operators> operators;
    private final Clock clock;
    // Each entry lives between 80% and 100% of MAX_AGE, at random: clients that arrived together (after a restart,
    // say) are then not all re-verified in the same second, every MAX_AGE, for as long as they stay.
    private final Cache<String, Verified> verified;

    /** The operators' issuer and how their tokens are verified. */
    record Operators(String issuer, JWTAuthContextInfo verification) {
    }

    @Inject
    public VerifiedTokens(JWTParser parser, GatewayConfig config,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Set<String> audiences, Clock clock) {
        this(parser, operators(config.operators(), audiences), clock);
    }

    VerifiedTokens(JWTParser parser, Optional<Operators> operators, Clock clock) {
        this.parser = parser;
        this.operators = operators;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfter(Expiry.<String, Verified> writing((token, caller) -> MAX_AGE.minusMillis(
                        ThreadLocalRandom.current().nextLong(MAX_AGE.toMillis() / 5))))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * @param authorization the request's Authorization header, or null
     * @throws MissingToken when it carries no bearer token
     * @throws ParseException when the token is not valid (signature, issuer, audience, expiry)
     * @throws IllegalArgumentException when it names no tenant
     */
    TenantContext caller(String authorization) throws ParseException {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new MissingToken();
        }
        Instant now = clock.instant();
        Verified known = verified.getIfPresent(authorization);
        if (known != null && now.isBefore(known.expiresAt())) {
            return known.caller();
        }
        String token = authorization.substring(BEARER.length()).strip();
        // the issuer the token claims chooses the verification; that verification then checks the claim itself
        Optional<Operators> asOperator = operators.filter(op -> op.issuer().equals(claimedIssuer(token)));
        JsonWebToken jwt = asOperator.isPresent() ? parser.parse(token, asOperator.get().verification())
                : parser.parse(token);
        TenantContext caller = Caller.of(jwt, asOperator.isPresent());
        verified.put(authorization, new Verified(caller, Instant.ofEpochSecond(jwt.getExpirationTime())));
        return caller;
    }

    private static Optional<Operators> operators(GatewayConfig.Operators config, Set<String> tenantAudiences) {
        if (config.issuer().isEmpty()) {
            return Optional.empty();
        }
        String location = config.publicKeyLocation().orElseThrow(() -> new IllegalStateException(
                "cs.gateway.operators.issuer is set: cs.gateway.operators.public-key-location must be too"));
        JWTAuthContextInfo verification = new JWTAuthContextInfo(location, config.issuer().get());
        verification.setExpectedAudience(config.audience().map(Set::of).orElse(tenantAudiences));
        return Optional.of(new Operators(config.issuer().get(), verification));
    }

    /** The {@code iss} the token claims, unverified (empty when it cannot be read: the verification then fails). */
    private static String claimedIssuer(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return "";
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.path("iss").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    /** The request carried no bearer token. */
    static final class MissingToken extends RuntimeException {
        MissingToken() {
            super(null, null, false, false);
        }
    }
}
