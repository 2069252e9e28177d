package io.cloudsentinel.platform.context;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fixed context configuration outside Quarkus config: for a process that signs for a tenant without a config
 * source (benchmarks, test harnesses that drive packaged services) and for tests. Lifetime 60 s, skew 5 s.
 */
public final class ContextConfigs {

    private ContextConfigs() {
    }

    public static ContextConfig fixed(String secret, String... previousSecrets) {
        return new Fixed(secret, Optional.of(List.of(previousSecrets)), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    private record Fixed(String secret, Optional<List<String>> previousSecrets, Duration ttl, Duration clockSkew)
            implements
                ContextConfig {
    }
}
