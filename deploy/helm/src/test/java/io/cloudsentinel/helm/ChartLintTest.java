package io.cloudsentinel.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.LintResult;

class ChartLintTest {

    @Test
    void lintPassesWithTheLeastAUserMustSet() {
        LintResult result = ChartUnderTest.lint(ChartUnderTest.TEST_VALUES);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void lintPassesWithProductionValues() {
        LintResult result = ChartUnderTest.lint(ChartUnderTest.PRODUCTION_VALUES);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void lintFailsWithoutTheRequiredValues() {
        // the chart's own values.yaml leaves the database host, brokers and secret names empty on purpose
        LintResult result = ChartUnderTest.lint(ChartUnderTest.EMPTY_VALUES);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/postgresql/host");
    }
}
