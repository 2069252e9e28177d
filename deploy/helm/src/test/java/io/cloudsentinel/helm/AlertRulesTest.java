package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules file parses as Prometheus reads it (no Java or Maven Central tool checks PromQL itself, so this is
 * promtool's structure check by hand): groups of rules with alert, expr, for, a severity, summary, description and a
 * runbook; durations Prometheus accepts; expressions with balanced brackets. Their metric names are held to the
 * services by {@link MonitoringQueriesTest}.
 */
class AlertRulesTest {

    /** Prometheus's duration: units from ms to y, largest first, e.g. 1h30m. */
    static final Pattern DURATION = Pattern.compile("(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");
    static final List<String> ALERTS = List.of("CloudSentinelDeadLetterGrowth", "CloudSentinelOutboxLag",
            "CloudSentinelOutboxParkedRows", "CloudSentinelSchedulerLag", "CloudSentinelTenantContextMissing",
            "CloudSentinelStuckJobHandlers", "CloudSentinelHighServerErrorRate", "CloudSentinelBudgetDenialSpike");

    @Test
    void everyRuleHasWhatAnOperatorNeeds() throws Exception {
        List<Map<String, Object>> rules = rules();

        assertThat(rules).extracting(rule -> rule.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as("%s", rule.get("alert")).containsOnlyKeys("alert", "expr", "for", "labels",
                    "annotations");
            assertThat(Yamls.string(rule, "labels", "severity")).isIn("critical", "warning", "info");
            assertThat(Yamls.map(rule, "annotations")).containsOnlyKeys("summary", "description", "runbook")
                    .allSatisfy((key, value) -> assertThat(value.toString()).isNotBlank());
        }
    }

    @Test
    void forDurationsAreOnesPrometheusParses() throws Exception {
        for (Map<String, Object> rule : rules()) {
            String duration = String.valueOf(rule.get("for"));
            assertThat(DURATION.matcher(duration).matches() && !duration.isEmpty()).as("%s for: %s",
                    rule.get("alert"), duration).isTrue();
        }
    }

    @Test
    void expressionsHaveBalancedBrackets() throws Exception {
        for (Map<String, Object> rule : rules()) {
            assertThat(balanced(rule.get("expr").toString())).as("%s", rule.get("alert")).isTrue();
        }
    }

    @Test
    void theBracketCheckCatchesAnUnclosedOne() {
        assertThat(balanced("sum(rate(cs_jobs_dlq_total{reason=\"x\"}[5m])")).isFalse();
        assertThat(balanced("sum(rate(cs_jobs_dlq_total{reason=\"x)\"}[5m]))")).isTrue();
        assertThat(DURATION.matcher("5 minutes").matches()).isFalse();
    }

    /** Brackets match in order, outside string literals. */
    static boolean balanced(String expression) {
        String withoutStrings = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        StringBuilder open = new StringBuilder();
        for (char c : withoutStrings.toCharArray()) {
            switch (c) {
                case '(', '{', '[' -> open.append(c);
                case ')', '}', ']' -> {
                    char expected = c == ')' ? '(' : c == '}' ? '{' : '[';
                    if (open.isEmpty() || open.charAt(open.length() - 1) != expected) {
                        return false;
                    }
                    open.setLength(open.length() - 1);
                }
                default -> {
                }
            }
        }
        return open.isEmpty();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(MonitoringResourcesTest.RULES));
        assertThat(file).containsOnlyKeys("groups");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            assertThat(group).containsOnlyKeys("name", "rules");
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }
}
