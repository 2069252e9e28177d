package io.cloudsentinel.jobs.analysis;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One line of what a tenant spent, as the prompt shows it: where it comes from, what was spent on, how much in its
 * own currency (never converted, never added to another currency), over which period, and what else is known.
 *
 * @param source {@code llm_spend} (budget-service), {@code payload} (the job's own lines), later the FOCUS summary
 */
public record CostLine(String source, String item, BigDecimal amount, String currency, Optional<String> periodStart,
        Optional<String> periodEnd, Optional<String> note) {
}
