package io.cloudsentinel.jobs.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.client.BudgetCalls;
import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/** The tenant's LLM spend of the last 30 days from budget-service: a line per model and per day that cost anything. */
@ApplicationScoped
public class LlmSpendSource implements AnalysisInputSource {

    static final int DAYS = 30;
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private final BudgetCalls budget;

    public LlmSpendSource(BudgetCalls budget) {
        this.budget = budget;
    }

    @Override
    public Uni<List<CostLine>> lines(JobRun run) {
        return budget.usage(run.tenant(), DAYS).map(usage -> {
            List<CostLine> lines = new ArrayList<>();
            Optional<String> from = Optional.ofNullable(usage.from()).map(Object::toString);
            Optional<String> to = Optional.ofNullable(usage.to()).map(Object::toString);
            if (usage.byModel() != null) {
                usage.byModel().stream().filter(model -> model.calls() > 0).forEach(model -> lines.add(new CostLine(
                        "llm_spend", "model " + model.model(), usd(model.costMicros()), "USD", from, to,
                        Optional.of(model.calls() + " calls, " + model.inputTokens() + " input and "
                                + model.outputTokens() + " output tokens"))));
            }
            if (usage.byDay() != null) {
                usage.byDay().stream().filter(day -> day.costMicros() > 0).forEach(day -> lines.add(new CostLine(
                        "llm_spend", "day " + day.day(), usd(day.costMicros()), "USD",
                        Optional.of(day.day().toString()), Optional.of(day.day().toString()), Optional.empty())));
            }
            return lines;
        });
    }

    private static BigDecimal usd(long micros) {
        return BigDecimal.valueOf(micros).divide(MICROS).stripTrailingZeros();
    }
}
