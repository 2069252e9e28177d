package io.cloudsentinel.budget;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudsentinel.platform.context.ContextConfig;
import io.cloudsentinel.platform.context.SignedContextCodec;
import io.cloudsentinel.testing.PackagedService;

/** Secrets and signing for tests that run packaged budget-service instances ({@link PackagedService}). */
final class ServiceInstance {

    private ServiceInstance() {
    }

    /** A fresh random context secret, strong enough for the prod profile. */
    static String randomSecret() {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    static SignedContextCodec codec(String secret) {
        return new SignedContextCodec(new Config(secret));
    }

    static PackagedService start(String database, String secret, String... properties) throws Exception {
        return PackagedService.start(database, Map.of("CS_CONTEXT_SECRET", secret), properties);
    }

    private record Config(String secret) implements ContextConfig {
        public Optional<List<String>> previousSecrets() {
            return Optional.empty();
        }

        public Duration ttl() {
            return Duration.ofSeconds(60);
        }

        public Duration clockSkew() {
            return Duration.ofSeconds(5);
        }
    }
}
