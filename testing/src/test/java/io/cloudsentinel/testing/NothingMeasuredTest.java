package io.cloudsentinel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A round that measured nothing fails with a message that says which round and why, instead of printing NaN. */
class NothingMeasuredTest {

    private static HttpLoad.Result result(HttpLoad.Latency latency) {
        return new HttpLoad.Result(12.5, Map.of("get", latency));
    }

    private static HttpLoad.Latency latency(long count, long non2xx, long failures) {
        return new HttpLoad.Latency(count, 1.0, 2.0, 3.0, 4.0, non2xx, failures);
    }

    @Test
    void aRunWithSomeSuccessfulAnswersIsAMeasurementEvenWithErrors() {
        HttpLoad.Result result = result(latency(100, 10, 5));

        assertThat(NothingMeasured.requireAnswers("direct, paced", result, "get")).isSameAs(result);
    }

    @Test
    void aRunThatSentNothingFails() {
        assertThatThrownBy(() -> NothingMeasured.requireAnswers("direct, paced", new HttpLoad.Result(0, Map.of()),
                "get")).isInstanceOf(NothingMeasured.class)
                .hasMessage("benchmark round 'direct, paced' measured nothing: no request was sent");
    }

    @Test
    void aRunWhoseRequestsAllFailedWithoutAnAnswerFails() {
        // connection refused: every request is timed and counted, none answered
        assertThatThrownBy(() -> NothingMeasured.requireAnswers("gateway, saturation", result(latency(5000, 0, 5000)),
                "get")).isInstanceOf(NothingMeasured.class).hasMessageContaining("'gateway, saturation'")
                .hasMessageContaining("'get' got no 2xx answer (5000 sent, 0 non-2xx, 5000 failed");
    }

    @Test
    void aRunAnsweredOnlyWithErrorsFails() {
        // a refused token: the run measured the 401 path, not the one it names
        assertThatThrownBy(() -> NothingMeasured.requireAnswers("gateway, paced", result(latency(900, 900, 0)),
                "get")).isInstanceOf(NothingMeasured.class).hasMessageContaining("900 non-2xx");
    }

    @Test
    void aRequestTheChainNeverReachedFails() {
        // every authorize was refused, so no settle was ever sent: its figures would be NaN
        assertThatThrownBy(() -> NothingMeasured.requireAnswers("pairs", result(latency(10, 0, 0)), "get", "settle"))
                .isInstanceOf(NothingMeasured.class).hasMessageContaining("'settle' got no 2xx answer (0 sent");
    }

    @Test
    void nothingCompletedFailsWithTheDetailGiven() {
        assertThat(NothingMeasured.requireCompleted("limit", 3, "")).isEqualTo(3);
        assertThatThrownBy(() -> NothingMeasured.requireCompleted("limit", 0, "16 failed, first: permission denied"))
                .isInstanceOf(NothingMeasured.class)
                .hasMessage("benchmark round 'limit' measured nothing: 0 completed (16 failed, first: permission"
                        + " denied)");
    }

    @Test
    void aNaNOrInfiniteFigureFails() {
        assertThatNoException().isThrownBy(() -> NothingMeasured.requireFinite("jmh", Map.of("seal ops/s", 1.0)));
        assertThatThrownBy(() -> NothingMeasured.requireFinite("jmh", Map.of("seal ops/s", Double.NaN)))
                .isInstanceOf(NothingMeasured.class).hasMessageEndingWith("seal ops/s is NaN");
        assertThatThrownBy(() -> NothingMeasured.requireFinite("ratio", Map.of("direct req/s",
                Double.POSITIVE_INFINITY))).isInstanceOf(NothingMeasured.class).hasMessageEndingWith("is Infinity");
    }
}
