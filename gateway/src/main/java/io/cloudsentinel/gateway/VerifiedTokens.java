package io.cloudsentinel.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.cloudsentinel.platform.tenant.TenantContext;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies bearer tokens with SmallRye JWT and remembers the callers of tokens it verified until they expire (at
 * most {@link #MAX_AGE}): a client sends the same token on every request, and an RSA verification per request was
 * the gateway's largest cost. The key is the whole Authorization header, signature included, so only the very token
 * that was verified is found (and a hit copies nothing); a token is never valid past its {@code exp}, cached or not.
 */
@ApplicationScoped
public class VerifiedTokens {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final String BEARER = "Bearer ";

    private record Verified(TenantContext caller, Instant expiresAt) {
    }

    private final JWTParser parser;
    private final Clock clock;
    // Each entry lives between 80% and 100% of MAX_AGE, at random: clients that arrived together (after a restart,
    // say) are then not all re-verified in the same second, every MAX_AGE, for as long as they stay.
    private final Cache<String, Verified> verified;

    public VerifiedTokens(JWTParser parser, Clock clock) {
        this.parser = parser;
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
        JsonWebToken jwt = parser.parse(authorization.substring(BEARER.length()).strip());
        TenantContext caller = Caller.of(jwt);
        verified.put(authorization, new Verified(caller, Instant.ofEpochSecond(jwt.getExpirationTime())));
        return caller;
    }

    /** The request carried no bearer token. */
    static final class MissingToken extends RuntimeException {
        MissingToken() {
            super(null, null, false, false);
        }
    }
}
