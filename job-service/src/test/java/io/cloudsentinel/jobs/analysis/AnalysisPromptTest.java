package io.cloudsentinel.jobs.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The prompt holds the tenant's figures, largest first, and stays within its token bound (plain logic). */
class AnalysisPromptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AnalysisPrompt.BudgetFigures BUDGET = new AnalysisPrompt.BudgetFigures(100_000_000,
            2_500_000, 0, 97_500_000, "HARD");

    private final AnalysisPrompt prompts = new AnalysisPrompt(JSON, new TokenEstimate(),
            new AnalysisAnswer(JSON).schema());

    @Test
    void everyLineFitsUnderAGenerousBoundLargestFirstWithTheBudgetAndTheFocus() throws Exception {
        List<CostLine> lines = List.of(line("S3", "12.5", "USD"), line("EC2", "1234.56", "USD"),
                line("Blob", "80", "EUR"));

        AnalysisPrompt.Prompt prompt = prompts.build("gpt-4o-mini", BUDGET, lines, Optional.of("storage"), 6_000);

        JsonNode data = JSON.readTree(prompt.messages().get(1).content());
        assertThat(data.path("costLines").findValuesAsText("item")).containsExactly("EC2", "Blob", "S3");
        assertThat(data.at("/costLines/0/amount").asText()).isEqualTo("1234.56");
        assertThat(data.at("/llmBudget/monthlyLimit").asText()).isEqualTo("100");
        assertThat(data.path("focus").asText()).isEqualTo("storage");
        assertThat(data.has("linesLeftOut")).isFalse();
        assertThat(prompt.linesLeftOut()).isZero();
        assertThat(prompt.messages().get(0).role()).isEqualTo("system");
    }

    @Test
    void overTheBoundTheLowestSpendLinesAreLeftOutFirstAndCounted() throws Exception {
        List<CostLine> lines = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            lines.add(line("service-" + i + " with a long descriptive name for its cost line", Integer.toString(i),
                    "USD"));
        }
        int bound = 2_000;

        AnalysisPrompt.Prompt prompt = prompts.build("gpt-4o-mini", BUDGET, lines, Optional.empty(), bound);

        assertThat(prompt.inputTokens()).isLessThanOrEqualTo(bound);
        assertThat(prompt.linesLeftOut()).isPositive();
        JsonNode data = JSON.readTree(prompt.messages().get(1).content());
        assertThat(data.path("linesLeftOut").asInt()).isEqualTo(prompt.linesLeftOut());
        List<String> kept = data.path("costLines").findValuesAsText("amount");
        assertThat(kept).hasSize(prompt.linesKept()).first().isEqualTo("200");
        assertThat(kept).last().isEqualTo(Integer.toString(200 - prompt.linesKept() + 1));
        // one more line would not have fitted: the cut keeps as many as the bound allows
        List<CostLine> onePlus = lines.subList(200 - prompt.linesKept() - 1, 200);
        assertThat(prompts.build("gpt-4o-mini", BUDGET, onePlus, Optional.empty(), Integer.MAX_VALUE).inputTokens())
                .isGreaterThan(bound);
    }

    private static CostLine line(String item, String amount, String currency) {
        return new CostLine("payload", item, new BigDecimal(amount), currency, Optional.of("2026-11-01"),
                Optional.of("2026-11-30"), Optional.empty());
    }
}
