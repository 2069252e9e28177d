package io.cloudsentinel.platform.context;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fixed context configuration outside Quarkus config: for a process that signs for a tenant without a config
 * source (benchmarks, test harnesses that drive packaged services) and for tests. Lifetime 10 s, skew 5 s.
 */
public final class ContextConfigs {

    private ContextConfigs() {
    }

    /** A signer only: it verifies nothing. */
    public static ContextConfig signer(String signingKey) {
        return new Fixed("signer", Optional.of(signingKey), Optional.empty(), Optional.empty(), false,
                Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** A receiver named {@code audience} that trusts these gateway and service keys. */
    public static ContextConfig receiver(String audience, List<String> gatewayKeys, List<String> serviceKeys) {
        return new Fixed(audience, Optional.empty(), Optional.of(gatewayKeys), Optional.of(serviceKeys), true,
                Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    private record Fixed(String audience, Optional<String> signingKey, Optional<List<String>> gatewayKeys,
            Optional<List<String>> serviceKeys, boolean receives, Duration ttl, Duration clockSkew)
            implements
                ContextConfig {
    }
}
