package io.cloudsentinel.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cloudsentinel.platform.context.ContextKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real crypto-service and budget-service next to the service under test: their packaged jars
 * ({@code ../<service>/target/quarkus-app}, built first by the reactor), each on its own database of the shared
 * PostgreSQL, in the prod profile with keys generated for this test JVM. They trust a generated gateway key (for the
 * tests' own setup calls: {@link #asGateway}) and a generated service key, which the service under test signs its
 * calls with ({@code cs.context.signing-key}). Started once per JVM and reused by every test class (Quarkus loads
 * this class again for each application, so what is shared lives in system properties and processes); they stop
 * with the JVM. Use {@code @WithTestResource(value = SiblingServices.class, initArgs = @ResourceArg(name =
 * "services", value = "crypto-service,budget-service"))}.
 */
public class SiblingServices implements QuarkusTestResourceLifecycleManager {

    public static final String CRYPTO = "crypto-service";
    public static final String BUDGET = "budget-service";

    private static final String PREFIX = "cs.test.siblings.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private List<String> services = List.of(CRYPTO);

    @Override
    public void init(Map<String, String> initArgs) {
        services = List.of(initArgs.getOrDefault("services", CRYPTO).split(","));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("cs.context.signing-key", keys().serviceSigningKey);
        for (String service : services) {
            int port = ensureStarted(service.trim());
            config.put("quarkus.rest-client." + shortName(service.trim()) + ".url", "http://127.0.0.1:" + port);
        }
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the processes stop with it
    }

    /** The port of a started sibling. */
    public static int port(String service) {
        String port = System.getProperty(PREFIX + service + ".port");
        if (port == null) {
            throw new IllegalStateException(service + " was not started: list it in SiblingServices' services");
        }
        return Integer.parseInt(port);
    }

    /** Calls straight to a sibling, signed as the gateway it trusts. */
    public static SignedCalls asGateway(String service) {
        return new SignedCalls(keys().gatewaySigningKey, service);
    }

    /** The sibling's database (read it as the owner in assertions: {@link PostgresServer#adminConnection}). */
    public static String database(String service) {
        return "cloudsentinel_sibling_" + shortName(service);
    }

    public static String jdbcUrl(String service) {
        return PostgresServer.shared().jdbcUrl(database(service));
    }

    /** The earlier system's Fernet key (url-safe base64 of 32 bytes) the sibling crypto-service rewraps from. */
    public static String legacyFernetKey() {
        return keys().legacyFernetKey;
    }

    private static String shortName(String service) {
        return service.replace("-service", "");
    }

    private static synchronized int ensureStarted(String service) {
        String known = System.getProperty(PREFIX + service + ".port");
        if (known != null) {
            return Integer.parseInt(known);
        }
        if (BUDGET.equals(service)) {
            ensureStarted(CRYPTO);
        }
        Path jar = Path.of(System.getProperty("user.dir")).resolve("..").resolve(service)
                .resolve("target/quarkus-app/quarkus-run.jar").normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with -am so that " + service
                    + " is packaged before this module's tests");
        }
        Keys keys = keys();
        Map<String, String> environment = new HashMap<>();
        environment.put("CS_CONTEXT_GATEWAY_KEYS", keys.gatewayPublicKey);
        environment.put("CS_CONTEXT_SERVICE_KEYS", keys.servicePublicKey);
        environment.put("CS_CONTEXT_SIGNING_KEY", keys.serviceSigningKey);
        List<String> properties = new ArrayList<>(List.of("quarkus.log.level=WARN"));
        if (CRYPTO.equals(service)) {
            environment.put("ENCRYPTION_KEY", random(48));
            environment.put("KDF_SALT", random(32));
            environment.put("LEGACY_ENCRYPTION_KEYS", "fernet:" + keys.legacyFernetKey);
        } else {
            environment.put("CS_SERVICE_URL_CRYPTO", "http://127.0.0.1:" + port(CRYPTO));
            // the tests' model stubs listen on 127.0.0.1
            properties.add("cs.budget.llm.allow-private=true");
        }
        try {
            PackagedService started = PackagedService.start(jar, database(service), environment,
                    properties.toArray(String[]::new));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            System.setProperty(PREFIX + service + ".port", Integer.toString(started.port));
            return started.port;
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + service + ": " + e.getMessage(), e);
        }
    }

    /** The generated keys of this JVM, kept in system properties so that every classloader sees the same. */
    private record Keys(String gatewaySigningKey, String gatewayPublicKey, String serviceSigningKey,
            String servicePublicKey, String legacyFernetKey) {
    }

    private static synchronized Keys keys() {
        if (System.getProperty(PREFIX + "keys.gateway-signing") == null) {
            ContextKeys.Generated gateway = ContextKeys.generate("sibling-test-gateway");
            ContextKeys.Generated service = ContextKeys.generate("sibling-test-service");
            byte[] fernet = new byte[32];
            RANDOM.nextBytes(fernet);
            System.setProperty(PREFIX + "keys.gateway-signing", gateway.signingKey());
            System.setProperty(PREFIX + "keys.gateway-public", gateway.publicKey());
            System.setProperty(PREFIX + "keys.service-signing", service.signingKey());
            System.setProperty(PREFIX + "keys.service-public", service.publicKey());
            System.setProperty(PREFIX + "keys.legacy-fernet", Base64.getUrlEncoder().encodeToString(fernet));
        }
        return new Keys(System.getProperty(PREFIX + "keys.gateway-signing"),
                System.getProperty(PREFIX + "keys.gateway-public"), System.getProperty(PREFIX + "keys.service-signing"),
                System.getProperty(PREFIX + "keys.service-public"), System.getProperty(PREFIX + "keys.legacy-fernet"));
    }

    private static String random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
