package io.cloudsentinel.jobs.handler;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A model timeout that could outlast the attempt is refused at start (plain logic, no Quarkus). */
class AnalysisTimeoutsTest {

    @Test
    void theModelTimeoutMustBeBelowTheTypesTimeout() {
        assertThatCode(() -> FinopsAnalysisHandler.requireModelTimeoutBelow(Duration.ofSeconds(90),
                Duration.ofSeconds(120))).doesNotThrowAnyException();
        assertThatThrownBy(() -> FinopsAnalysisHandler.requireModelTimeoutBelow(Duration.ofSeconds(120),
                Duration.ofSeconds(120))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cs.jobs.analysis.model-timeout");
        assertThatThrownBy(() -> FinopsAnalysisHandler.requireModelTimeoutBelow(Duration.ofMinutes(5),
                Duration.ofSeconds(120))).isInstanceOf(IllegalStateException.class);
    }
}
