package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

/** Tracing is off unless a collector is named, and then every service exports to it; images come from one registry. */
class TracingAndRegistryTest {

    private static final String COLLECTOR = "http://otel-collector.observability:4318";

    @Test
    void withoutAnEndpointNoServiceTracesOrReachesACollector() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES);

        for (Map<String, Object> config : rendered.ofKind("ConfigMap")) {
            assertThat(Yamls.map(config, "data")).as(Rendered.component(config))
                    .doesNotContainKeys("CS_OTEL_ENDPOINT", "CS_OTEL_SAMPLE_RATIO");
        }
        for (Map<String, Object> policy : rendered.ofKind("NetworkPolicy")) {
            assertThat(ports(policy)).as(Rendered.component(policy)).doesNotContain(4318);
        }
    }

    @Test
    void anEndpointReachesEveryServiceWithItsRatioAndOpensEgressToTheCollectorOnly() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES, Map.of(
                "tracing.otlpEndpoint", COLLECTOR, "tracing.sampleRatio", "0.25",
                "tracing.networkPolicyPeers[0].namespaceSelector.matchLabels.name", "observability"));

        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            String service = Rendered.component(deployment);
            assertThat(Yamls.map(rendered.byComponent("ConfigMap").get(service), "data")).as(service)
                    .containsEntry("CS_OTEL_ENDPOINT", COLLECTOR).containsEntry("CS_OTEL_SAMPLE_RATIO", "0.25");
            Map<String, Object> policy = rendered.byComponent("NetworkPolicy").get(service);
            assertThat(Yamls.list(policy, "spec", "egress")).as(service).anySatisfy(rule -> {
                assertThat(Yamls.at(rule, "to")).isEqualTo(List.of(Map.of("namespaceSelector",
                        Map.of("matchLabels", Map.of("name", "observability")))));
                assertThat(Yamls.at(rule, "ports")).isEqualTo(List.of(Map.of("port", 4318, "protocol", "TCP")));
            });
        }
    }

    @Test
    void aSampleRatioOutsideZeroToOneIsRefusedByName() {
        assertThat(ChartUnderTest.renderFailure(ChartUnderTest.TEST_VALUES, Map.of("tracing.sampleRatio", "2")))
                .contains("tracing/sampleRatio");
    }

    @Test
    void theRegistryPrefixesEveryImageOfTheRelease() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES,
                Map.of("imageRegistry", "registry.example.com/", "kafka.topics.management", "job"));

        List<String> images = rendered.objects().stream()
                .filter(object -> List.of("Deployment", "Job").contains(object.get("kind")))
                .flatMap(object -> Yamls.containers(object).stream())
                .map(container -> (String) container.get("image")).toList();
        assertThat(images).isNotEmpty()
                .allSatisfy(image -> assertThat(image).startsWith("registry.example.com/cloudsentinel/"));
        assertThat(images).contains("registry.example.com/cloudsentinel/gateway:0.1.0",
                "registry.example.com/cloudsentinel/bootstrap:0.1.0");
    }

    private static List<Integer> ports(Map<String, Object> policy) {
        return Yamls.list(policy, "spec", "egress").stream()
                .flatMap(rule -> Yamls.list(rule, "ports").stream())
                .map(port -> port.get("port")).filter(Integer.class::isInstance).map(Integer.class::cast).toList();
    }
}
