package io.cloudsentinel.jobs.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.cloudsentinel.jobs.repository.Analysis;

/** A {@code finops_analysis} job's result as the API answers it; never a key, only what the model was paid for. */
@Schema(name = "Analysis")
public record AnalysisView(UUID jobId,
        @Schema(description = "completed, or skipped (with reason)") String status,
        @Schema(description = "Why it was skipped: no_cost_data, no_budget or no_llm_credentials") String reason,
        String provider, String model, Long inputTokens, Long outputTokens,
        @Schema(description = "What the call was charged, micro-USD") Long costMicros,
        @Schema(description = "budget-service's hold the call was charged to") UUID holdId,
        @Schema(description = "The provider reported no usage: the hold's worst case was charged") boolean usageEstimated,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "{summary, findings[{title, detail, severity}],"
                + " recommendations[{title, detail, estimatedMonthlySavings{amount, currency}}]}; absent when skipped") String result,
        Instant createdAt) {

    /** A page of analyses, newest first; {@code nextCursor} is absent on the last page. */
    @Schema(name = "AnalysisPage")
    public record Page(List<AnalysisView> analyses, String nextCursor) {
    }

    public static AnalysisView of(Analysis analysis) {
        return new AnalysisView(analysis.jobId(), analysis.status(), analysis.reason().orElse(null),
                analysis.provider().orElse(null), analysis.model().orElse(null),
                analysis.inputTokens().orElse(null), analysis.outputTokens().orElse(null),
                analysis.costMicros().orElse(null), analysis.holdId().orElse(null), analysis.usageEstimated(),
                analysis.result().orElse(null), analysis.createdAt());
    }
}
