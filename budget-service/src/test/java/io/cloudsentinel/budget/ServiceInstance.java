package io.cloudsentinel.budget;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.cloudsentinel.platform.context.ContextConfigs;
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
        return new SignedContextCodec(ContextConfigs.fixed(secret));
    }

    static PackagedService start(String database, String secret, String... properties) throws Exception {
        return PackagedService.start(database, Map.of("CS_CONTEXT_SECRET", secret), properties);
    }
}
