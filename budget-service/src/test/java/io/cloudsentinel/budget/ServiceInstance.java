package io.cloudsentinel.budget;

import java.util.Map;

import io.cloudsentinel.platform.context.ContextKeys;
import io.cloudsentinel.testing.PackagedService;
import io.cloudsentinel.testing.SignedCalls;

/** Context keys and signing for tests that run packaged budget-service instances ({@link PackagedService}). */
final class ServiceInstance {

    private ServiceInstance() {
    }

    /**
     * A fresh gateway key pair: the prod profile refuses the published test keys, so an instance trusts this one's
     * public half and the test signs with its private half.
     */
    static ContextKeys.Generated gatewayKeys() {
        return ContextKeys.generate("it-gateway");
    }

    /** Signs each request as the gateway holding {@code gateway}'s private key. */
    static SignedCalls calls(ContextKeys.Generated gateway) {
        return new SignedCalls(gateway.signingKey(), Api.AUDIENCE);
    }

    /** An instance in the prod profile that trusts {@code gateway}'s public key (and no service key). */
    static PackagedService start(String database, ContextKeys.Generated gateway, String... properties)
            throws Exception {
        return PackagedService.start(database, Map.of("CS_CONTEXT_GATEWAY_KEYS", gateway.publicKey()), properties);
    }
}
