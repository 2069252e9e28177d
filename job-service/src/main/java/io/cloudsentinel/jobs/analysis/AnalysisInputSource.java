package io.cloudsentinel.jobs.analysis;

import java.util.List;

import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;

/**
 * Where the cost lines of an analysis come from: one CDI bean per source (the tenant's LLM spend, the job's payload;
 * the FOCUS cost summary next), each read for the job's tenant. An analysis with no line from any source is skipped.
 */
public interface AnalysisInputSource {

    /** The tenant's lines from this source; empty when it knows none. */
    Uni<List<CostLine>> lines(JobRun run);
}
