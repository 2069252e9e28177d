package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.cloudsentinel.helm.ChartUnderTest.Rendered;

/** The PrometheusRule embeds the chart's plain rules file, and the ServiceMonitors scrape the management port. */
class MonitoringResourcesTest {

    static final Path RULES = ChartUnderTest.CHART.resolve("files/alerts/cloudsentinel-rules.yaml");

    @Test
    void noPrometheusRuleUnlessAskedFor() {
        assertThat(ChartUnderTest.render(ChartUnderTest.TEST_VALUES).ofKind("PrometheusRule")).isEmpty();
    }

    @Test
    void thePrometheusRuleIsTheRulesFileWithTheLabelsFromValues() throws Exception {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.TEST_VALUES,
                Map.of("monitoring.prometheusRule.enabled", "true", "monitoring.prometheusRule.labels.release",
                        "kube-prometheus-stack"));

        Map<String, Object> rule = rendered.named("PrometheusRule", "cs-cloudsentinel-alerts");
        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(Yamls.string(rule, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
        Object file = new Yaml().load(Files.readString(RULES));
        // the same groups, rule by rule, annotations' {{ $labels }} untouched by Helm
        assertThat(rule.get("spec")).isEqualTo(file);
        assertThat(rule.get("spec").toString()).contains("{{ $labels.namespace }}");
    }

    @Test
    void theServiceMonitorsScrapeEveryServicesManagementPort() {
        Rendered rendered = ChartUnderTest.render(ChartUnderTest.PRODUCTION_VALUES);

        assertThat(rendered.byComponent("ServiceMonitor")).containsOnlyKeys(
                rendered.byComponent("Deployment").keySet());
        rendered.ofKind("ServiceMonitor").forEach(monitor -> assertThat(
                Yamls.list(monitor, "spec", "endpoints").get(0)).containsEntry("port", "management")
                .containsEntry("path", "/q/metrics"));
    }
}
