package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

/**
 * Every rendered object, hooks included, is valid for the Kubernetes API named in {@link KubernetesSchemas}: known
 * fields only, of the right types, with the required ones present.
 * <p>
 * Custom resources are left out, by name: their schemas come with their operators' CRDs (Prometheus Operator's
 * ServiceMonitor and PrometheusRule, Strimzi's KafkaTopic), and no jar on Maven Central carries those CRDs.
 * {@link MonitoringResourcesTest} and {@link KafkaTopicsTest} check their fields instead.
 */
class KubernetesSchemaTest {

    static final Set<String> CUSTOM_RESOURCE_GROUPS = Set.of("monitoring.coreos.com", "kafka.strimzi.io");

    static final KubernetesSchemas SCHEMAS = new KubernetesSchemas();

    static Stream<Arguments> renderings() {
        Map<String, String> everythingOn = Map.of("monitoring.prometheusRule.enabled", "true",
                "gateway.rateLimits.store", "redis", "secrets.redis.existingSecret", "cs-redis");
        return Stream.of(Arguments.of("default values", List.of(ChartUnderTest.TEST_VALUES), Map.of()),
                Arguments.of("production values", List.of(ChartUnderTest.PRODUCTION_VALUES), Map.of()),
                Arguments.of("production values, topics Job, rules, Redis",
                        List.of(ChartUnderTest.PRODUCTION_VALUES),
                        with(everythingOn, "kafka.topics.management", "job")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyRenderedObjectIsValidForTheKubernetesApi(String name, List<Path> values, Map<String, String> sets) {
        Rendered rendered = ChartUnderTest.render(values, sets);

        Map<String, List<String>> violations = new LinkedHashMap<>();
        List<String> validated = new ArrayList<>();
        for (Map<String, Object> object : rendered.objects()) {
            if (isCustomResource(object)) {
                continue;
            }
            String id = object.get("apiVersion") + " " + object.get("kind") + "/"
                    + Yamls.string(object, "metadata", "name");
            validated.add(id);
            List<String> problems = SCHEMAS.violations(object);
            if (!problems.isEmpty()) {
                violations.put(id, problems);
            }
        }

        assertThat(violations).as("schema violations (Kubernetes %s)", KubernetesSchemas.KUBERNETES_VERSION)
                .isEmpty();
        // the hooks are among them: the migration Jobs at least
        assertThat(validated).anyMatch(id -> id.startsWith("batch/v1 Job/")).anyMatch(id -> id.contains("Deployment/"))
                .anyMatch(id -> id.contains("NetworkPolicy/"));
    }

    @Test
    void aContainerFieldOfTheWrongTypeFails() {
        Map<String, Object> deployment = renderedGatewayDeployment();
        firstContainer(deployment).put("imagePullPolicy", 7);

        assertThat(SCHEMAS.violations(deployment)).singleElement().asString()
                .contains("/spec/template/spec/containers/0/imagePullPolicy").contains("string");
    }

    @Test
    void anUnknownFieldFailsAsKubeconformStrictDoes() {
        Map<String, Object> deployment = renderedGatewayDeployment();
        firstContainer(deployment).put("imagePullPolicyy", "Always");
        Yamls.map(deployment, "spec").put("replica", 2);

        assertThat(SCHEMAS.violations(deployment)).hasSize(2).anyMatch(error -> error.contains("imagePullPolicyy"))
                .anyMatch(error -> error.contains("replica"));
    }

    @Test
    void aMissingRequiredFieldFails() {
        Map<String, Object> deployment = renderedGatewayDeployment();
        firstContainer(deployment).remove("name");

        assertThat(SCHEMAS.violations(deployment)).singleElement().asString().contains("name");
    }

    @Test
    void anApiVersionThatKubernetesNoLongerServesFails() {
        Map<String, Object> budget = ChartUnderTest.render(ChartUnderTest.TEST_VALUES).ofKind("PodDisruptionBudget")
                .get(0);
        budget.put("apiVersion", "policy/v1beta1");

        assertThat(SCHEMAS.violations(budget)).singleElement().asString().contains("no PodDisruptionBudget");
    }

    @Test
    void theValidDeploymentPasses() {
        assertThat(SCHEMAS.violations(renderedGatewayDeployment())).isEmpty();
    }

    static boolean isCustomResource(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        return apiVersion.contains("/") && CUSTOM_RESOURCE_GROUPS.contains(apiVersion.substring(0,
                apiVersion.indexOf('/')));
    }

    /** A deep copy, free to break. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> renderedGatewayDeployment() {
        Map<String, Object> rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES).byComponent("Deployment")
                .get("gateway");
        Yaml yaml = new Yaml();
        return (Map<String, Object>) yaml.load(yaml.dump(rendered));
    }

    private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
        return Yamls.containers(deployment).get(0);
    }

    private static Map<String, String> with(Map<String, String> sets, String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(sets);
        all.put(key, value);
        return all;
    }
}
