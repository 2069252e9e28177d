package io.cloudsentinel.platform.context;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.context.*}: the shared secret of the signed context and how long a context lives. */
@ConfigMapping(prefix = "cs.context")
public interface ContextConfig {

    /** HMAC secret shared by the gateway and the services (env CS_CONTEXT_SECRET); at least 32 bytes in prod. */
    String secret();

    /** Secrets still accepted while a rotation is rolled out; never used to sign. */
    Optional<List<String>> previousSecrets();

    /** Lifetime of a context the signer issues. */
    @WithDefault("60s")
    Duration ttl();

    /** A context that claims to live longer than ttl + clock skew is refused, whoever signed it. */
    @WithDefault("5s")
    Duration clockSkew();
}
