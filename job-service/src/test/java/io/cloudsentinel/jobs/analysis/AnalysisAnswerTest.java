package io.cloudsentinel.jobs.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Only an answer that matches the analysis schema is taken (plain logic, no Quarkus). */
class AnalysisAnswerTest {

    static final String VALID = """
            {"summary": "Compute is most of the spend.",
             "findings": [{"title": "EC2 dominates", "detail": "80% of the month", "severity": "high"}],
             "recommendations": [{"title": "Rightsize", "detail": "m5.4xlarge idle at night",
                                  "estimatedMonthlySavings": {"amount": 120.5, "currency": "USD"}}]}
            """;

    private final AnalysisAnswer answers = new AnalysisAnswer(new ObjectMapper());

    @Test
    void aMatchingAnswerIsTaken() {
        AnalysisAnswer.Checked checked = answers.check(VALID);

        assertThat(checked.problems()).isEmpty();
        assertThat(checked.answer().at("/recommendations/0/estimatedMonthlySavings/currency").asText())
                .isEqualTo("USD");
    }

    @Test
    void anAnswerOutsideTheSchemaIsRefusedWithWhereItFails() {
        assertThat(answers.check(VALID.replace("\"high\"", "\"urgent\"")).problems()).singleElement().asString()
                .contains("$.findings[0].severity");
        assertThat(answers.check(VALID.replace("120.5", "-3")).valid()).isFalse();
        assertThat(answers.check(VALID.replace("\"USD\"", "\"dollars\"")).valid()).isFalse();
        assertThat(answers.check(VALID.replace("\"summary\"", "\"note\"")).valid()).isFalse();
        assertThat(answers.check(VALID.replace("}]}", "}], \"extra\": 1}")).valid()).isFalse();
    }

    @Test
    void contentThatIsNotOneJsonObjectIsRefused() {
        assertThat(answers.check("Here is your analysis: ...").problems()).singleElement().asString()
                .startsWith("the answer is not JSON");
        assertThat(answers.check(VALID + " trailing words").valid()).isFalse();
        assertThat(answers.check(null).valid()).isFalse();
        assertThat(answers.check("[]").valid()).isFalse();
    }
}
