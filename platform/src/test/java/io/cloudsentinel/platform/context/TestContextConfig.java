package io.cloudsentinel.platform.context;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

record TestContextConfig(String secret, Optional<List<String>> previousSecrets, Duration ttl, Duration clockSkew)
        implements
            ContextConfig {

    static TestContextConfig withSecret(String secret, String... previous) {
        return new TestContextConfig(secret, Optional.of(List.of(previous)), Duration.ofSeconds(60),
                Duration.ofSeconds(5));
    }
}
