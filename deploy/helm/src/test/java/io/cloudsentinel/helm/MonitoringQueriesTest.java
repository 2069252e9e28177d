package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.cloudsentinel.testing.metrics.MetricOwners;
import io.cloudsentinel.testing.metrics.PromQlMetricNames;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every metric the dashboard and the alert rules query is in deploy/grafana/metrics.yaml, under the services that
 * export it; each service's ExportedMetricsTest then proves its part is exported from its start.
 */
class MonitoringQueriesTest {

    static final Path GRAFANA = ChartUnderTest.CHART.resolve("../../grafana").normalize();
    static final Set<String> SERVICES = Set.of("gateway", "budget-service", "job-service", "scheduler-service",
            "crypto-service");

    @Test
    void everyMetricTheRulesQueryHasAnExportingService() throws Exception {
        Set<String> queried = new TreeSet<>();
        for (Map<String, Object> rule : AlertRulesTest.rules()) {
            queried.addAll(PromQlMetricNames.of(rule.get("expr").toString()));
        }
        assertThat(owners().metrics()).containsAll(queried);
    }

    @Test
    void everyMetricTheDashboardQueriesHasAnExportingService() throws Exception {
        assertThat(owners().metrics()).containsAll(dashboardMetrics());
    }

    @Test
    void theListNamesOnlyQueriedMetricsAndRealServices() throws Exception {
        Set<String> queried = new TreeSet<>(dashboardMetrics());
        for (Map<String, Object> rule : AlertRulesTest.rules()) {
            queried.addAll(PromQlMetricNames.of(rule.get("expr").toString()));
        }
        MetricOwners owners = owners();
        assertThat(queried).containsAll(owners.metrics());
        owners.servicesByMetric().values().forEach(services -> assertThat(SERVICES).containsAll(services));
    }

    @Test
    void theDashboardUsesTheDatasourceVariableAndIsFilteredByNamespaceAndService() throws Exception {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        List<String> variables = dashboard.path("templating").path("list").valueStream()
                .map(variable -> variable.path("name").asString()).toList();
        assertThat(variables).contains("datasource", "namespace", "service");
        assertThat(dashboard.path("templating").path("list").get(0).path("query").asString()).isEqualTo("prometheus");
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asString())) {
                assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
                assertThat(panel.path("targets").valueStream()).isNotEmpty()
                        .allSatisfy(target -> assertThat(target.path("expr").asString())
                                .contains("namespace=~\"$namespace\""));
            }
        }
    }

    static Set<String> dashboardMetrics() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(PromQlMetricNames.of(target.path("expr").asString()));
            }
        }
        return names;
    }

    static JsonNode dashboard() throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(GRAFANA.resolve("cloudsentinel.json")));
    }

    static MetricOwners owners() {
        return MetricOwners.load(GRAFANA.resolve("metrics.yaml"));
    }
}
