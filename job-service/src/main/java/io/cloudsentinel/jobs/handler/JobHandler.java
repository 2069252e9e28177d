package io.cloudsentinel.jobs.handler;

import io.smallrye.mutiny.Uni;

/**
 * Runs the attempts of one job type: one CDI bean per type, its settings under {@code cs.jobs.types.<type>.*}.
 * The returned {@code Uni} is cancelled when the type's timeout fires (a reactive HTTP call in it is aborted), and
 * whatever it still tries through {@link JobRun#inTenant} afterwards is refused by the lease fence. A failure is
 * retried with backoff, unless it is a {@link FatalJobException}.
 */
public interface JobHandler extends JobTypeHandler {

    Uni<Void> run(JobRun run);
}
