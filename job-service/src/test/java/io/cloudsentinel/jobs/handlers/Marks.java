package io.cloudsentinel.jobs.handlers;

import io.cloudsentinel.jobs.handler.JobRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The row a test handler writes when its work is done, in a tenant table of the tests' own ({@code handler_marks},
 * made by {@code Db.createMarks()}): whether it appears says whether the work's write landed.
 */
public final class Marks {

    private Marks() {
    }

    public static Uni<Void> write(JobRun run) {
        return run.inTenant(connection -> connection.preparedQuery(
                "INSERT INTO handler_marks (tenant_id, job_id, attempt) VALUES ($1, $2, $3)")
                .execute(Tuple.of(run.tenant().value(), run.jobId(), run.attempt()))).replaceWithVoid();
    }

}
