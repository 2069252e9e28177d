package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

class NetworkPolicyTest {

    /** Who may call whose HTTP port: the gateway all, job-service budget and crypto, budget-service crypto. */
    static final Map<String, Set<String>> CALLERS = Map.of(
            "budget-service", Set.of("gateway", "job-service"),
            "crypto-service", Set.of("gateway", "job-service", "budget-service"),
            "job-service", Set.of("gateway"),
            "scheduler-service", Set.of("gateway"));

    static Stream<Path> valueSets() {
        return Stream.of(ChartUnderTest.TEST_VALUES, ChartUnderTest.PRODUCTION_VALUES);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everythingOfTheReleaseIsDeniedByDefault(Path values) {
        Map<String, Object> deny = ChartUnderTest.render(values).named("NetworkPolicy", "cs-cloudsentinel-default-deny");

        assertThat(Yamls.map(deny, "spec", "podSelector", "matchLabels"))
                .containsOnly(Map.entry("app.kubernetes.io/name", "cloudsentinel"),
                        Map.entry("app.kubernetes.io/instance", "cs"));
        assertThat(Yamls.at(deny, "spec", "policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(Yamls.at(deny, "spec", "ingress")).isNull();
        assertThat(Yamls.at(deny, "spec", "egress")).isNull();
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyServiceHasItsPolicy(Path values) {
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(values).byComponent("NetworkPolicy");

        for (String service : DeploymentHardeningTest.SERVICES) {
            assertThat(policies).containsKey(service);
            assertThat(Yamls.map(policies.get(service), "spec", "podSelector", "matchLabels"))
                    .containsEntry("app.kubernetes.io/component", service);
            assertThat(Yamls.at(policies.get(service), "spec", "policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void onlyTheCallersOfAServiceReachItsHttpPort(Path values) {
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(values).byComponent("NetworkPolicy");

        CALLERS.forEach((service, callers) -> {
            List<Map<String, Object>> httpRules = rulesFor(policies.get(service), "http");
            assertThat(httpRules).as(service).hasSize(1);
            List<Map<String, Object>> from = Yamls.list(httpRules.get(0), "from");
            // no rule without peers (that would be anyone), no namespace or address from outside the release
            assertThat(from).as(service).isNotEmpty().allSatisfy(peer -> assertThat(peer).containsOnlyKeys(
                    "podSelector"));
            Set<String> allowed = new TreeSet<>();
            for (Map<String, Object> peer : from) {
                assertThat(Yamls.map(peer, "podSelector", "matchLabels"))
                        .containsEntry("app.kubernetes.io/instance", "cs");
                allowed.add(Yamls.string(peer, "podSelector", "matchLabels", "app.kubernetes.io/component"));
            }
            assertThat(allowed).as(service).isEqualTo(new TreeSet<>(callers));
        });
    }

    @Test
    void theGatewayIsReachableFromAnywhereByDefaultAndFromTheIngressNamespaceWhenSet() {
        Map<String, Object> byDefault = ChartUnderTest.render(ChartUnderTest.TEST_VALUES)
                .byComponent("NetworkPolicy").get("gateway");
        Map<String, Object> production = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES)
                .byComponent("NetworkPolicy").get("gateway");

        assertThat(rulesFor(byDefault, "http")).singleElement().satisfies(rule -> assertThat(rule).doesNotContainKey(
                "from"));
        assertThat(Yamls.list(rulesFor(production, "http").get(0), "from")).singleElement()
                .satisfies(peer -> assertThat(Yamls.map(peer, "namespaceSelector", "matchLabels"))
                        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void theManagementPortOnlyFromTheMonitoringNamespace(Path values) {
        String monitoring = values.equals(ChartUnderTest.PRODUCTION_VALUES) ? "observability" : "monitoring";
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(values).byComponent("NetworkPolicy");

        for (String service : DeploymentHardeningTest.SERVICES) {
            assertThat(rulesFor(policies.get(service), "management")).as(service).singleElement()
                    .satisfies(rule -> assertThat(Yamls.list(rule, "from")).singleElement()
                            .isEqualTo(Map.of("namespaceSelector", Map.of("matchLabels",
                                    Map.of("kubernetes.io/metadata.name", monitoring)))));
            // every ingress rule names its port: none opens the whole pod
            assertThat(Yamls.list(policies.get(service), "spec", "ingress")).as(service)
                    .allSatisfy(rule -> assertThat(Yamls.list(rule, "ports")).isNotEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void servicesReachOnlyTheServicesTheyCall(Path values) {
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(values).byComponent("NetworkPolicy");

        for (String caller : DeploymentHardeningTest.SERVICES) {
            Set<String> reached = new TreeSet<>();
            for (Map<String, Object> rule : Yamls.list(policies.get(caller), "spec", "egress")) {
                for (Map<String, Object> peer : Yamls.list(rule, "to")) {
                    String component = Yamls.string(peer, "podSelector", "matchLabels", "app.kubernetes.io/component");
                    if (component != null && peer.get("namespaceSelector") == null) {
                        reached.add(component);
                    }
                }
            }
            Set<String> expected = new TreeSet<>();
            CALLERS.forEach((service, callers) -> {
                if (callers.contains(caller)) {
                    expected.add(service);
                }
            });
            assertThat(reached).as(caller).isEqualTo(expected);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyJobServiceReachesTheInternetByDefault() {
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(ChartUnderTest.TEST_VALUES)
                .byComponent("NetworkPolicy");

        for (String service : DeploymentHardeningTest.SERVICES) {
            assertThat(internetRules(policies.get(service))).as(service)
                    .hasSize(service.equals("job-service") ? 1 : 0);
        }
        assertThat(Yamls.list(internetRules(policies.get("job-service")).get(0), "to").get(0))
                .satisfies(peer -> assertThat((List<Object>) Yamls.at(peer, "ipBlock", "except"))
                        .contains("10.0.0.0/8", "169.254.0.0/16"));
    }

    @Test
    void jobServiceInternetEgressCanBeTurnedOff() {
        Map<String, Object> policy = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("services.job-service.internetEgress", "false")).byComponent("NetworkPolicy")
                .get("job-service");

        assertThat(internetRules(policy)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void egressToPostgresqlOnlyForServicesWithADatabaseAndTheMigrations(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        Map<String, Map<String, Object>> policies = rendered.byComponent("NetworkPolicy");

        for (String service : DeploymentHardeningTest.SERVICES) {
            assertThat(ports(policies.get(service))).as(service).contains(53)
                    .matches(ports -> ports.contains(5432) != service.equals("gateway"), "5432 iff a database");
        }
        assertThat(ports(policies.get("migration"))).containsExactlyInAnyOrder(53, 53, 5432);
        assertThat(Yamls.at(policies.get("migration"), "spec", "ingress")).isNull();
    }

    @Test
    void theBootstrapJobsReachTheirServerAndDnsOnly() {
        Map<String, Map<String, Object>> policies = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("bootstrap.database.enabled", "true", "bootstrap.database.adminSecret.name", "pg-admin"))
                .byComponent("NetworkPolicy");

        assertThat(ports(policies.get("bootstrap-database"))).containsExactlyInAnyOrder(53, 53, 5432);
        assertThat(Yamls.at(policies.get("bootstrap-database"), "spec", "ingress")).isNull();
        assertThat(ports(policies.get("kafka-topics"))).containsExactlyInAnyOrder(53, 53, 9092, 9093);
        assertThat(Yamls.at(policies.get("kafka-topics"), "spec", "ingress")).isNull();
        assertThat(ChartUnderTest.render(ChartUnderTest.TEST_VALUES).byComponent("NetworkPolicy"))
                .as("no policy for a Job that is not there").doesNotContainKey("bootstrap-database");
    }

    /** Egress rules without ports to an address block: the internet. */
    private static List<Map<String, Object>> internetRules(Map<String, Object> policy) {
        return Yamls.list(policy, "spec", "egress").stream()
                .filter(rule -> Yamls.list(rule, "ports").isEmpty())
                .filter(rule -> Yamls.list(rule, "to").stream().anyMatch(peer -> peer.containsKey("ipBlock")))
                .toList();
    }

    private static List<Integer> ports(Map<String, Object> policy) {
        return Yamls.list(policy, "spec", "egress").stream()
                .flatMap(rule -> Yamls.list(rule, "ports").stream())
                .map(port -> (Integer) port.get("port")).toList();
    }

    private static List<Map<String, Object>> rulesFor(Map<String, Object> policy, String port) {
        return Yamls.list(policy, "spec", "ingress").stream()
                .filter(rule -> Yamls.list(rule, "ports").stream().anyMatch(p -> port.equals(p.get("port"))))
                .toList();
    }
}
