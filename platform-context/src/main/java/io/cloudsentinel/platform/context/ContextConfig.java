package io.cloudsentinel.platform.context;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.context.*}: the keys of the signed context, whom it is for, and how long it lives. */
@ConfigMapping(prefix = "cs.context")
public interface ContextConfig {

    /** The longest lifetime a signer may give a context; receivers add the clock skew. */
    Duration MAX_TTL = Duration.ofSeconds(15);

    /** This service's name as signers address it: a context signed for another audience is refused. */
    @WithDefault("${quarkus.application.name}")
    String audience();

    /**
     * {@code <key id>:<base64 PKCS#8 Ed25519>}: the gateway's key, or a service's own key for calls it makes on a
     * tenant's behalf (env CS_CONTEXT_SIGNING_KEY). Absent: this process signs nothing.
     */
    Optional<String> signingKey();

    /** Public keys of the gateway, {@code <key id>:<base64 X.509>}; several during a rotation (CS_CONTEXT_GATEWAY_KEYS). */
    Optional<List<String>> gatewayKeys();

    /**
     * Public keys of the services allowed to call this one on a tenant's behalf (CS_CONTEXT_SERVICE_KEYS); a context
     * they sign carries exactly the {@code service} role.
     */
    Optional<List<String>> serviceKeys();

    /**
     * Whether this process receives signed contexts (every service; not the gateway): it then refuses to start without
     * a gateway key, since it would answer every request 401.
     */
    @WithDefault("true")
    boolean receives();

    /** Lifetime of a context this process signs; at most 15 s. */
    @WithDefault("10s")
    Duration ttl();

    /** A context that claims to live longer than ttl + clock skew is refused, whoever signed it. */
    @WithDefault("5s")
    Duration clockSkew();
}
