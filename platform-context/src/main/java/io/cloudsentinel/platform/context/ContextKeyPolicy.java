package io.cloudsentinel.platform.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Outside dev mode and tests ({@link StrictLaunch}) the service refuses to start with a context key whose private half
 * is published (the dev and test keys in this repository: anyone can sign with them), or with a ttl over the limit;
 * dev mode and tests only warn. Keys are recognised by their public half, so renaming a key id changes nothing.
 */
@Singleton
public class ContextKeyPolicy {

    /** Public halves of the key pairs whose private halves are in this repository. */
    static final Set<String> PUBLISHED = Set.of(
            "MCowBQYDK2VwAyEANNjMI5Hr2ZWo57CuipQvkWrEoJUaHwzb1zTJimsY4Xk=", // test-gateway
            "MCowBQYDK2VwAyEAuk2gQB3Qk4knhFSE7TUPnWBueBzyR3spqzAzMct+SfE=", // test-service
            "MCowBQYDK2VwAyEABtsLArvXapJCI/K7kR+eMwlvs9eR+s+tPqHNnhRzIW8=", // test-untrusted
            "MCowBQYDK2VwAyEANfgAjchRFm7CktescAnXAbps7stn04l16pvKB8iLNbc=", // test-gateway-previous
            "MCowBQYDK2VwAyEAaabxUtDUILU1u2Z7rFNpTci1X3rFRZ1/InBM86fqNgQ="); // dev-gateway

    private static final Logger LOG = Logger.getLogger(ContextKeyPolicy.class);

    void check(@Observes StartupEvent startup, ContextConfig config) {
        enforce(problems(config), StrictLaunch.isStrict());
    }

    /** @throws IllegalStateException when strict and there is any problem; elsewhere each problem is a warning */
    static void enforce(List<String> problems, boolean strict) {
        if (problems.isEmpty()) {
            return;
        }
        if (strict) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
        problems.forEach(problem -> LOG.warnf("unsafe outside development: %s", problem));
    }

    static List<String> problems(ContextConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.receives() && config.gatewayKeys().orElse(List.of()).stream().allMatch(String::isBlank)) {
            problems.add("cs.context.gateway-keys (CS_CONTEXT_GATEWAY_KEYS) is empty: every request would be refused;"
                    + " give the gateway's public key");
        }
        config.signingKey().filter(key -> !key.isBlank()).ifPresent(entry -> {
            ContextKeys.SigningKey key = ContextKeys.signingKey(entry, "cs.context.signing-key");
            published("cs.context.signing-key (CS_CONTEXT_SIGNING_KEY)",
                    ContextKeys.entry(key.keyId(), key.publicKey()), problems);
        });
        for (String entry : config.gatewayKeys().orElse(List.of())) {
            published("cs.context.gateway-keys (CS_CONTEXT_GATEWAY_KEYS)", entry, problems);
        }
        for (String entry : config.serviceKeys().orElse(List.of())) {
            published("cs.context.service-keys (CS_CONTEXT_SERVICE_KEYS)", entry, problems);
        }
        return problems;
    }

    private static void published(String setting, String entry, List<String> problems) {
        var keys = ContextKeys.publicKeys(List.of(entry), setting);
        if (keys.isEmpty()) {
            return;
        }
        var key = keys.entrySet().iterator().next();
        if (PUBLISHED.contains(ContextKeys.encoded(key.getValue()))) {
            problems.add(setting + " holds key " + key.getKey()
                    + ", whose private half is published in this repository; generate a key pair with: openssl genpkey"
                    + " -algorithm ed25519 -outform DER | base64 -w0");
        }
    }
}
