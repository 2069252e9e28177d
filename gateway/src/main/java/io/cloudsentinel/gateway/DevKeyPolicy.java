package io.cloudsentinel.gateway;

import java.util.Collection;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.cloudsentinel.platform.context.StrictLaunch;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Outside dev mode and tests ({@link StrictLaunch}, whatever the profiles are called) the gateway refuses the local
 * stack's dev key pair (under {@code .local/jwt/}): anyone with that checkout can mint tokens for any tenant. The
 * local launcher runs the services with profiles {@code prod,local}, which says exactly that this is the developer
 * stack; a real deployment has no reason to name the {@code local} profile.
 */
@ApplicationScoped
public class DevKeyPolicy {

    static final String DEV_KEY_FILE = "dev-public.pem";

    void check(@Observes StartupEvent startup,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location) {
        problem(location, StrictLaunch.isStrict(), ConfigUtils.getProfiles()).ifPresent(problem -> {
            throw new IllegalStateException("refusing to start: " + problem);
        });
    }

    static Optional<String> problem(Optional<String> location, boolean strict, Collection<String> profiles) {
        if (!strict || profiles.contains("local")) {
            return Optional.empty();
        }
        return location.filter(DevKeyPolicy::isDevKey).map(devKey -> "mp.jwt.verify.publickey.location"
                + " (CS_JWT_PUBLIC_KEY_LOCATION) is the local stack's dev key pair (" + devKey + "); anyone with that"
                + " checkout can mint tokens. Point it at your identity provider's public key or JWKS.");
    }

    private static boolean isDevKey(String location) {
        String normalized = location.replace('\\', '/');
        return normalized.endsWith("/" + DEV_KEY_FILE) || normalized.equals(DEV_KEY_FILE)
                || normalized.contains("/.local/");
    }
}
