package io.cloudsentinel.platform.context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Outside dev mode and tests ({@link StrictLaunch}) the service refuses to start with a context secret that is short
 * or published (our docs' and tests' examples); dev mode and tests only warn.
 */
@Singleton
public class ContextSecretPolicy {

    static final int MIN_BYTES = 32;
    /** Values that appear in our repository; anyone can read them, so they protect nothing. */
    static final Set<String> WELL_KNOWN = Set.of(
            "dev-only-context-secret-change-me-0000000000",
            "test-only-context-secret-0123456789abcdef",
            "test-only-previous-context-secret-0123456789",
            "change-me", "changeme", "secret");

    private static final Logger LOG = Logger.getLogger(ContextSecretPolicy.class);

    void check(@Observes StartupEvent startup, ContextConfig config) {
        enforce(problems(config), StrictLaunch.isStrict());
    }

    /** @throws IllegalStateException when strict and there is any problem; elsewhere each problem is a warning */
    static void enforce(List<String> problems, boolean prod) {
        if (problems.isEmpty()) {
            return;
        }
        if (prod) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
        problems.forEach(problem -> LOG.warnf("unsafe outside development: %s", problem));
    }

    static List<String> problems(ContextConfig config) {
        List<String> problems = new ArrayList<>();
        check("cs.context.secret (CS_CONTEXT_SECRET)", config.secret(), problems);
        for (String previous : config.previousSecrets().orElse(List.of())) {
            check("an entry of cs.context.previous-secrets", previous, problems);
        }
        return problems;
    }

    private static void check(String name, String secret, List<String> problems) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            problems.add(name + " is shorter than " + MIN_BYTES
                    + " bytes; generate one with: openssl rand -base64 48");
        } else if (WELL_KNOWN.contains(secret)) {
            problems.add(name + " is a published example value; generate one with: openssl rand -base64 48");
        }
    }
}
