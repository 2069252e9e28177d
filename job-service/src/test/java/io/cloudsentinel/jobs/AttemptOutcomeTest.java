package io.cloudsentinel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a failure is recorded, without Quarkus. */
class AttemptOutcomeTest {

    @Test
    void aFailureIsRecordedWithoutNulAndCutToTheLimit() {
        AttemptOutcome outcome = AttemptOutcome.failed(AttemptOutcome.Kind.FAILED,
                new IllegalStateException("bad\0byte " + "y".repeat(10_000)));

        assertThat(outcome.error()).get().asString().startsWith("badbyte yyy").doesNotContain("\0")
                .hasSize(AttemptOutcome.MAX_ERROR_LENGTH).endsWith("…");
        assertThat(outcome.exceptionClass()).contains(IllegalStateException.class.getName());
    }

    @Test
    void theCutNeverSplitsACharacterOfTwoUnits() {
        String emoji = "\uD83D\uDE00";
        String text = "x".repeat(AttemptOutcome.MAX_ERROR_LENGTH - 2) + emoji + "tail";

        String recorded = AttemptOutcome.recordable(text);

        assertThat(recorded).hasSizeLessThanOrEqualTo(AttemptOutcome.MAX_ERROR_LENGTH).endsWith("x…");
        assertThat(Character.isHighSurrogate(recorded.charAt(recorded.length() - 2))).isFalse();
    }
}
