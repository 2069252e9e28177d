package io.cloudsentinel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;

/** How long a verified token is remembered: never past the maximum age, and not all tokens for the same time. */
class VerifiedTokensTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tokensVerifiedTogetherAreReverifiedSpreadOutAndNoneLaterThanTheMaximumAge() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair identityProvider = generator.generateKeyPair();
        JWTAuthContextInfo expected = new JWTAuthContextInfo(identityProvider.getPublic(), Tokens.ISSUER);
        expected.setExpectedAudience(Set.of(Tokens.AUDIENCE));
        AtomicInteger verifications = new AtomicInteger();
        DefaultJWTParser parser = new DefaultJWTParser(expected) {
            @Override
            public JsonWebToken parse(String token) throws ParseException {
                verifications.incrementAndGet();
                return super.parse(token);
            }
        };
        TestClock clock = new TestClock();
        VerifiedTokens tokens = new VerifiedTokens(parser, Optional.empty(), clock);
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            headers.add("Bearer " + Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("user-" + i)
                    .claim("tenant_id", TenantId.random().toString()).groups(Set.of("tenant-user"))
                    .expiresIn(Duration.ofHours(1)).jws().sign(identityProvider.getPrivate()));
        }
        clock.now = Instant.now();
        Instant start = clock.now;
        callAll(tokens, headers);
        callAll(tokens, headers);
        assertThat(verifications).hasValue(200);

        clock.now = start.plus(VerifiedTokens.MAX_AGE.multipliedBy(9).dividedBy(10));
        callAll(tokens, headers);
        int reverifiedEarly = verifications.get() - 200;
        assertThat(reverifiedEarly).as("re-verified at 90%% of the maximum age").isBetween(1, 199);

        clock.now = start.plus(VerifiedTokens.MAX_AGE).plusSeconds(1);
        callAll(tokens, headers);
        assertThat(verifications.get() - 200).as("every token verified at the start was verified again")
                .isEqualTo(200);
    }

    private static void callAll(VerifiedTokens tokens, List<String> headers) throws ParseException {
        for (String header : headers) {
            tokens.caller(header);
        }
    }

    /**
     * platform-admin only from the operators' issuer, verified with the operators' key: a tenant's token that carries
     * it loses it, an operator's keeps it, and neither issuer's claim passes with the other's key.
     */
    @Test
    void platformAdminComesOnlyFromTheOperatorsIssuer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair tenantsProvider = generator.generateKeyPair();
        KeyPair operatorsProvider = generator.generateKeyPair();
        String operatorIssuer = "https://operators.cloudsentinel.dev";
        JWTAuthContextInfo tenants = new JWTAuthContextInfo(tenantsProvider.getPublic(), Tokens.ISSUER);
        tenants.setExpectedAudience(Set.of(Tokens.AUDIENCE));
        JWTAuthContextInfo operators = new JWTAuthContextInfo(operatorsProvider.getPublic(), operatorIssuer);
        operators.setExpectedAudience(Set.of(Tokens.AUDIENCE));
        VerifiedTokens tokens = new VerifiedTokens(new DefaultJWTParser(tenants),
                Optional.of(new VerifiedTokens.Operators(operatorIssuer, operators)), Clock.systemUTC());
        TenantId tenant = TenantId.random();

        assertThat(tokens.caller(bearer(Tokens.ISSUER, tenant, tenantsProvider)).roles())
                .containsExactly("tenant-admin");
        assertThat(tokens.caller(bearer(operatorIssuer, tenant, operatorsProvider)).roles())
                .containsExactlyInAnyOrder("tenant-admin", "platform-admin");
        assertThatThrownBy(() -> tokens.caller(bearer(operatorIssuer, tenant, tenantsProvider)))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.caller(bearer(Tokens.ISSUER, tenant, operatorsProvider)))
                .isInstanceOf(ParseException.class);
    }

    /**
     * A token verified and remembered is not served past its exp: at exp the cache lets it go and the verifier is
     * asked again (here one that judges expiry by the test's clock, so the test need not wait).
     */
    @Test
    void aRememberedTokenIsNotServedPastItsExpiry() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair identityProvider = generator.generateKeyPair();
        JWTAuthContextInfo expected = new JWTAuthContextInfo(identityProvider.getPublic(), Tokens.ISSUER);
        expected.setExpectedAudience(Set.of(Tokens.AUDIENCE));
        TestClock clock = new TestClock();
        clock.now = Instant.now();
        AtomicInteger verifications = new AtomicInteger();
        DefaultJWTParser parser = new DefaultJWTParser(expected) {
            @Override
            public JsonWebToken parse(String token) throws ParseException {
                verifications.incrementAndGet();
                JsonWebToken jwt = super.parse(token);
                if (!clock.now.isBefore(Instant.ofEpochSecond(jwt.getExpirationTime()))) {
                    throw new ParseException("expired by the test's clock");
                }
                return jwt;
            }
        };
        VerifiedTokens tokens = new VerifiedTokens(parser, Optional.empty(), clock);
        String header = "Bearer " + Jwt.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("brief")
                .claim("tenant_id", TenantId.random().toString()).groups(Set.of("tenant-user"))
                .expiresAt(clock.now.plusSeconds(60)).jws().sign(identityProvider.getPrivate());

        tokens.caller(header);
        clock.now = clock.now.plusSeconds(59);
        tokens.caller(header);
        assertThat(verifications).as("remembered before its exp").hasValue(1);

        clock.now = clock.now.plusSeconds(2);
        assertThatThrownBy(() -> tokens.caller(header)).isInstanceOf(ParseException.class);
        assertThat(verifications).as("asked again at its exp").hasValue(2);
    }

    private static String bearer(String issuer, TenantId tenant, KeyPair signer) {
        return "Bearer " + Jwt.issuer(issuer).audience(Tokens.AUDIENCE).subject("someone")
                .claim("tenant_id", tenant.toString()).groups(Set.of("tenant-admin", "platform-admin"))
                .expiresIn(Duration.ofMinutes(5)).jws().sign(signer.getPrivate());
    }
}
