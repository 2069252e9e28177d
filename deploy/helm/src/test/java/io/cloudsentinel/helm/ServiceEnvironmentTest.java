package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

/** What the services read from their environment, as the production-like values set it. */
class ServiceEnvironmentTest {

    final Rendered production = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES);

    @Test
    void eachServiceGetsTheUrlsOfTheServicesItCallsAndNoOthers() {
        Map<String, Map<String, Object>> configs = production.byComponent("ConfigMap");

        assertThat(urls(configs.get("gateway"))).containsOnly(
                Map.entry("CS_SERVICE_URL_BUDGET", "http://cs-cloudsentinel-budget-service:8080"),
                Map.entry("CS_SERVICE_URL_JOB", "http://cs-cloudsentinel-job-service:8080"),
                Map.entry("CS_SERVICE_URL_SCHEDULER", "http://cs-cloudsentinel-scheduler-service:8080"),
                Map.entry("CS_SERVICE_URL_CRYPTO", "http://cs-cloudsentinel-crypto-service:8080"));
        assertThat(urls(configs.get("job-service"))).containsOnlyKeys("CS_SERVICE_URL_BUDGET", "CS_SERVICE_URL_CRYPTO");
        assertThat(urls(configs.get("budget-service"))).containsOnlyKeys("CS_SERVICE_URL_CRYPTO");
        assertThat(urls(configs.get("scheduler-service"))).isEmpty();
        assertThat(urls(configs.get("crypto-service"))).isEmpty();
        // and those Services exist, on that port
        for (String service : List.of("budget-service", "job-service", "scheduler-service", "crypto-service")) {
            assertThat(Yamls.list(production.byComponent("Service").get(service), "spec", "ports"))
                    .anySatisfy(port -> assertThat(port).containsEntry("name", "http").containsEntry("port", 8080));
        }
    }

    @Test
    void postgresqlSslModeIsInBothUrls() {
        Map<String, Object> data = Yamls.map(production.byComponent("ConfigMap").get("budget-service"), "data");

        assertThat(data).containsEntry("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://cloudsentinel-pg-rw.databases.svc:5432/cloudsentinel_budget?sslmode=verify-full")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL",
                        "postgresql://cloudsentinel-pg-rw.databases.svc:5432/cloudsentinel_budget?sslmode=verify-full");
        assertThat(Yamls.map(production.byComponent("ConfigMap").get("gateway"), "data"))
                .doesNotContainKey("QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Test
    void kafkaSaslOverTlsIsConfiguredAndTheCaMountedWhereTheTruststoreSays() {
        for (Map<String, Object> deployment : production.ofKind("Deployment")) {
            String service = Rendered.component(deployment);
            Map<String, Object> data = Yamls.map(production.byComponent("ConfigMap").get(service), "data");
            assertThat(data).as(service).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/cloudsentinel/kafka-ca/ca.crt");
            Map<String, Object> container = Yamls.containers(deployment).get(0);
            assertThat(env(container).get("KAFKA_SASL_JAAS_CONFIG")).as(service)
                    .isEqualTo(Map.of("name", "KAFKA_SASL_JAAS_CONFIG", "valueFrom", Map.of("secretKeyRef",
                            Map.of("name", "cloudsentinel-kafka-user", "key", "sasl.jaas.config"))));
            String volume = Yamls.list(container, "volumeMounts").stream()
                    .filter(mount -> "/etc/cloudsentinel/kafka-ca".equals(mount.get("mountPath"))).findFirst()
                    .orElseThrow().get("name").toString();
            assertThat(Yamls.list(Yamls.podSpec(deployment), "volumes")).as(service).anySatisfy(v -> assertThat(v)
                    .isEqualTo(Map.of("name", volume, "secret",
                            Map.of("secretName", "cloudsentinel-kafka-cluster-ca-cert"))));
        }
    }

    @Test
    void theGatewaySharesRateLimitsInRedisAndVerifiesTokensWithTheMountedKey() {
        Map<String, Object> gateway = production.byComponent("Deployment").get("gateway");
        Map<String, Object> data = Yamls.map(production.byComponent("ConfigMap").get("gateway"), "data");

        assertThat(data).containsEntry("CS_GATEWAY_RATE_LIMIT_STORE", "redis")
                .containsEntry("CS_JWT_PUBLIC_KEY_LOCATION", "/etc/cloudsentinel/jwt/public.pem")
                .containsEntry("CS_JWT_ISSUER", "https://idp.example/realms/cloudsentinel")
                .containsEntry("CS_GATEWAY_OPERATORS_ISSUER", "https://idp.example/realms/operators");
        assertThat(Yamls.string(env(Yamls.containers(gateway).get(0)).get("CS_GATEWAY_RATE_LIMIT_STORE_REDIS_URL"),
                "valueFrom", "secretKeyRef", "name")).isEqualTo("cloudsentinel-redis");
        assertThat(Yamls.list(Yamls.containers(gateway).get(0), "volumeMounts"))
                .anySatisfy(mount -> assertThat(mount).containsEntry("mountPath", "/etc/cloudsentinel/jwt"));
    }

    @Test
    void autoscaledServicesLeaveReplicasToTheirAutoscaler() {
        Map<String, Map<String, Object>> autoscalers = production.byComponent("HorizontalPodAutoscaler");

        assertThat(autoscalers).doesNotContainKey("scheduler-service").hasSize(4);
        assertThat(Yamls.at(autoscalers.get("gateway"), "spec", "maxReplicas")).isEqualTo(10);
        assertThat(Yamls.at(autoscalers.get("gateway"), "spec", "scaleTargetRef", "name"))
                .isEqualTo("cs-cloudsentinel-gateway");
        Map<String, Map<String, Object>> deployments = production.byComponent("Deployment");
        assertThat(Yamls.at(deployments.get("scheduler-service"), "spec", "replicas")).isEqualTo(3);
        assertThat(Yamls.map(deployments.get("gateway"), "spec")).doesNotContainKey("replicas");
    }

    @Test
    void theIngressAndServiceMonitorsAreRenderedWhenAskedFor() {
        assertThat(Yamls.string(production.ofKind("Ingress").get(0), "spec", "rules")).contains(
                "cs-cloudsentinel-gateway");
        assertThat(production.byComponent("ServiceMonitor")).containsOnlyKeys(DeploymentHardeningTest.SERVICES);
        Rendered byDefault = ChartUnderTest.render(ChartUnderTest.TEST_VALUES);
        assertThat(byDefault.ofKind("Ingress")).isEmpty();
        assertThat(byDefault.ofKind("ServiceMonitor")).isEmpty();
    }

    private static Map<String, Object> urls(Map<String, Object> config) {
        return Yamls.map(config, "data").entrySet().stream().filter(e -> e.getKey().startsWith("CS_SERVICE_URL_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        return Yamls.list(container, "env").stream()
                .collect(Collectors.toMap(e -> e.get("name").toString(), e -> e));
    }
}
