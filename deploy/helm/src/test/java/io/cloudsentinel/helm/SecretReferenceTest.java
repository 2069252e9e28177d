package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

class SecretReferenceTest {

    /** Variables that carry key material or credentials: they may only come from a Secret. */
    static final Set<String> SECRET_VARIABLES = Set.of("CS_CONTEXT_SIGNING_KEY", "CS_CONTEXT_GATEWAY_KEYS",
            "CS_CONTEXT_SERVICE_KEYS", "ENCRYPTION_KEY", "KDF_SALT", "ENCRYPTION_KEY_PREVIOUS", "KDF_SALT_PREVIOUS",
            "LEGACY_ENCRYPTION_KEYS", "LEGACY_KDF_SALT", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "CS_LLM_API_KEY", "KAFKA_SASL_JAAS_CONFIG", "CS_GATEWAY_RATE_LIMIT_STORE_REDIS_URL");

    /** What key material looks like inline: long base64 (keys, salts, "<kid>:<DER>"), PEM, Fernet, API keys. */
    static final Pattern KEY_MATERIAL = Pattern.compile(
            "(?=[A-Za-z0-9+/]*\\d)(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])[A-Za-z0-9+/]{32,}"
                    + "|-----BEGIN|sk-[A-Za-z0-9]{8,}|password=|LoginModule");

    static Stream<Path> valueSets() {
        return Stream.of(ChartUnderTest.TEST_VALUES, ChartUnderTest.PRODUCTION_VALUES);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void theChartCreatesNoSecret(Path values) {
        assertThat(ChartUnderTest.render(values).ofKind("Secret")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void secretVariablesComeOnlyThroughSecretKeyRefs(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        List<Map<String, Object>> secretEnv = new ArrayList<>();
        for (Map<String, Object> workload : workloads(rendered)) {
            for (Map<String, Object> container : Yamls.containers(workload)) {
                for (Map<String, Object> env : Yamls.list(container, "env")) {
                    if (SECRET_VARIABLES.contains(env.get("name"))) {
                        secretEnv.add(env);
                        assertThat(env).as(workload.get("kind") + " " + env.get("name")).doesNotContainKey("value");
                        assertThat(Yamls.string(env, "valueFrom", "secretKeyRef", "name")).isNotBlank();
                        assertThat(Yamls.string(env, "valueFrom", "secretKeyRef", "key")).isNotBlank();
                    }
                }
            }
        }
        // gateway, budget and job-service sign, four services receive, crypto-service has its keys, four databases
        assertThat(secretEnv).hasSizeGreaterThan(20);
        for (Map<String, Object> config : rendered.ofKind("ConfigMap")) {
            assertThat(Yamls.map(config, "data")).doesNotContainKeys(SECRET_VARIABLES.toArray(String[]::new));
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void noInlineValueLooksLikeKeyMaterial(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        for (Map<String, Object> workload : workloads(rendered)) {
            for (Map<String, Object> container : Yamls.containers(workload)) {
                for (Map<String, Object> env : Yamls.list(container, "env")) {
                    if (env.get("value") != null) {
                        assertThat(env.get("value").toString()).as(env.get("name").toString())
                                .doesNotContainPattern(KEY_MATERIAL);
                    }
                }
            }
        }
        for (Map<String, Object> config : rendered.ofKind("ConfigMap")) {
            Yamls.map(config, "data").forEach((key, value) -> assertThat(value.toString()).as(key)
                    .doesNotContainPattern(KEY_MATERIAL));
        }
    }

    /** The detector itself: what the services' keys look like is caught. */
    @Test
    void keyMaterialIsRecognised() {
        assertThat("local-gateway:MC4CAQAwBQYDK2VwBCIEIBtqZ0KJ3Yd7bzS4nq2V8m3cxn0pC3bA1p7lJ9zQwE5x")
                .containsPattern(KEY_MATERIAL);
        assertThat("q0Zm1y9tTg7fK2wQe3sVb8nXcR5uJ4aL6dH1pO0iY9M=").containsPattern(KEY_MATERIAL);
        assertThat("http://cs-cloudsentinel-budget-service:8080").doesNotContainPattern(KEY_MATERIAL);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void theDeploymentsUseTheAppCredentialsAndNeverTheOwners(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        String owner = values.equals(ChartUnderTest.PRODUCTION_VALUES) ? "cloudsentinel-pg-owner" : "cs-db-owner";
        String app = values.equals(ChartUnderTest.PRODUCTION_VALUES) ? "cloudsentinel-pg-app" : "cs-db-app";

        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            Set<String> secrets = referencedSecrets(deployment);
            assertThat(secrets).as(Rendered.component(deployment)).doesNotContain(owner);
            if (!Rendered.component(deployment).equals("gateway")) {
                assertThat(secrets).as(Rendered.component(deployment)).contains(app);
            }
        }
        List<Map<String, Object>> ownersUsers = rendered.objects().stream()
                .filter(object -> referencedSecrets(object).contains(owner)).toList();
        assertThat(ownersUsers).isNotEmpty().allSatisfy(object -> {
            assertThat(object.get("kind")).isEqualTo("Job");
            // the migrations run as the owner; the database bootstrap sets its password
            assertThat(Rendered.component(object)).isIn("migration", "bootstrap-database");
        });
    }

    @Test
    void theAdministratorsSecretIsTheDatabaseBootstrapJobsAlone() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("bootstrap.database.enabled", "true", "bootstrap.database.adminSecret.name", "pg-admin"));

        List<Map<String, Object>> adminsUsers = rendered.objects().stream()
                .filter(object -> referencedSecrets(object).contains("pg-admin")).toList();
        assertThat(adminsUsers).hasSize(1).allSatisfy(object -> {
            assertThat(object.get("kind")).isEqualTo("Job");
            assertThat(Rendered.component(object)).isEqualTo("bootstrap-database");
        });
        assertThat(referencedSecrets(adminsUsers.get(0))).containsExactlyInAnyOrder("pg-admin", "cs-db-owner",
                "cs-db-app");
    }

    static List<Map<String, Object>> workloads(Rendered rendered) {
        return Stream.concat(rendered.ofKind("Deployment").stream(), rendered.ofKind("Job").stream()).toList();
    }

    /** Every secret an object names anywhere: secretKeyRef, secret volumes, envFrom secretRef. */
    static Set<String> referencedSecrets(Object node) {
        Set<String> names = new java.util.TreeSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            for (String holder : List.of("secretKeyRef", "secretRef")) {
                if (map.get(holder) instanceof Map<?, ?> ref && ref.get("name") != null) {
                    names.add(ref.get("name").toString());
                }
            }
            if (map.get("secret") instanceof Map<?, ?> volume && volume.get("secretName") != null) {
                names.add(volume.get("secretName").toString());
            }
            map.values().forEach(value -> collect(value, names));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collect(value, names));
        }
    }
}
