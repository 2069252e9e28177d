package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

class DeploymentHardeningTest {

    static final List<String> SERVICES = List.of("budget-service", "crypto-service", "gateway", "job-service",
            "scheduler-service");

    static Stream<Path> valueSets() {
        return Stream.of(ChartUnderTest.TEST_VALUES, ChartUnderTest.PRODUCTION_VALUES);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyServiceHasOneDeploymentFromTheSharedTemplate(Path values) {
        Rendered rendered = ChartUnderTest.render(values);

        assertThat(rendered.byComponent("Deployment")).containsOnlyKeys(SERVICES);
        assertThat(rendered.byComponent("Service")).containsOnlyKeys(SERVICES);
        assertThat(rendered.byComponent("ConfigMap")).containsOnlyKeys(SERVICES);
        assertThat(rendered.byComponent("PodDisruptionBudget")).containsOnlyKeys(SERVICES);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyDeploymentProbesStartedLiveAndReadyOnTheManagementPort(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        for (Map<String, Object> deployment : rendered.ofKind("Deployment")) {
            Map<String, Object> container = Yamls.containers(deployment).get(0);
            String name = Yamls.string(deployment, "metadata", "name");

            assertThat(Yamls.string(container, "startupProbe", "httpGet", "path")).as(name).isEqualTo("/q/health/started");
            assertThat(Yamls.string(container, "livenessProbe", "httpGet", "path")).as(name).isEqualTo("/q/health/live");
            assertThat(Yamls.string(container, "readinessProbe", "httpGet", "path")).as(name).isEqualTo("/q/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(Yamls.string(container, probe, "httpGet", "port")).as(name + " " + probe)
                        .isEqualTo("management");
            }
            assertThat(Yamls.list(container, "ports")).as(name)
                    .anySatisfy(port -> assertThat(port).containsEntry("name", "management")
                            .containsEntry("containerPort", 9000));
            Map<String, Object> config = rendered.byComponent("ConfigMap")
                    .get(Rendered.component(deployment));
            // the images are built with quarkus.management.enabled (build time): the port is all the pod sets
            assertThat(Yamls.map(config, "data")).as(name).containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyDeploymentHasResourcesAndSpreadsOverNodesAndZones(Path values) {
        for (Map<String, Object> deployment : ChartUnderTest.render(values).ofKind("Deployment")) {
            Map<String, Object> container = Yamls.containers(deployment).get(0);
            String name = Yamls.string(deployment, "metadata", "name");

            assertThat(Yamls.map(container, "resources", "requests")).as(name).containsKeys("cpu", "memory");
            assertThat(Yamls.map(container, "resources", "limits")).as(name).containsKey("memory");
            assertThat(Yamls.list(Yamls.podSpec(deployment), "topologySpreadConstraints"))
                    .as(name).extracting(constraint -> constraint.get("topologyKey"))
                    .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        }
    }

    /** Deployments and the hook Jobs alike: non-root, read-only root, nothing to escalate with. */
    @ParameterizedTest
    @MethodSource("valueSets")
    void everyWorkloadRunsLockedDown(Path values) {
        Rendered rendered = ChartUnderTest.render(values);
        List<Map<String, Object>> workloads = Stream.concat(rendered.ofKind("Deployment").stream(),
                rendered.ofKind("Job").stream()).toList();
        assertThat(workloads).hasSizeGreaterThanOrEqualTo(9);

        for (Map<String, Object> workload : workloads) {
            String name = workload.get("kind") + " " + Yamls.string(workload, "metadata", "name");
            Map<String, Object> pod = Yamls.podSpec(workload);
            assertThat(pod.get("automountServiceAccountToken")).as(name).isEqualTo(false);
            assertThat(Yamls.at(pod, "securityContext", "runAsNonRoot")).as(name).isEqualTo(true);
            for (Map<String, Object> container : Yamls.containers(workload)) {
                Map<String, Object> security = Yamls.map(container, "securityContext");
                assertThat(security).as(name).containsEntry("runAsNonRoot", true)
                        .containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false);
                assertThat(Yamls.at(security, "capabilities", "drop")).as(name).isEqualTo(List.of("ALL"));
                assertThat(Yamls.string(security, "seccompProfile", "type")).as(name).isEqualTo("RuntimeDefault");
                assertThat(Yamls.list(container, "volumeMounts")).as(name)
                        .anySatisfy(mount -> assertThat(mount).containsEntry("mountPath", "/tmp"));
            }
            String tmpVolume = Yamls.list(Yamls.containers(workload).get(0), "volumeMounts").stream()
                    .filter(mount -> "/tmp".equals(mount.get("mountPath"))).findFirst().orElseThrow()
                    .get("name").toString();
            assertThat(Yamls.list(pod, "volumes")).as(name)
                    .anySatisfy(volume -> assertThat(volume).containsEntry("name", tmpVolume).containsKey("emptyDir"));
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void serviceAccountsCarryNoToken(Path values) {
        List<Map<String, Object>> accounts = ChartUnderTest.render(values).ofKind("ServiceAccount");

        assertThat(accounts).hasSize(6);
        assertThat(accounts).allSatisfy(account -> assertThat(account)
                .containsEntry("automountServiceAccountToken", false));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void imagesDefaultToTheServiceAndTheAppVersion(Path values) {
        for (Map<String, Object> deployment : ChartUnderTest.render(values).ofKind("Deployment")) {
            assertThat(Yamls.containers(deployment).get(0).get("image"))
                    .isEqualTo("cloudsentinel/" + Rendered.component(deployment) + ":0.1.0");
        }
    }
}
