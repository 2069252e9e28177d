package io.cloudsentinel.jobs.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/** The cost lines the job's payload brings ({@code costs}: checked by the type's payload schema before it is stored). */
@ApplicationScoped
public class PayloadCostSource implements AnalysisInputSource {

    @Override
    public Uni<List<CostLine>> lines(JobRun run) {
        List<CostLine> lines = new ArrayList<>();
        for (JsonNode cost : run.payload().path("costs")) {
            lines.add(new CostLine("payload", cost.path("service").asText(), new BigDecimal(cost.path("amount")
                    .asText()), cost.path("currency").asText(), text(cost, "periodStart"), text(cost, "periodEnd"),
                    Optional.empty()));
        }
        return Uni.createFrom().item(lines);
    }

    private static Optional<String> text(JsonNode cost, String field) {
        JsonNode value = cost.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
