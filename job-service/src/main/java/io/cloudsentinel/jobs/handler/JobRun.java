package io.cloudsentinel.jobs.handler;

import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One attempt of a job as its handler sees it. Database work goes through {@link #inTenant}: a transaction of the
 * job's tenant (row-level security shows no other tenant's rows) that first checks, under a share lock on the job,
 * that this attempt still holds the lease, so a handler that lost it (timed out, rescued, cancelled) cannot write.
 */
public interface JobRun {

    TenantId tenant();

    UUID jobId();

    String jobType();

    /** 1 for the first attempt. */
    int attempt();

    JsonNode payload();

    /** Runs the work in a transaction of the job's tenant, refused with {@link LeaseLostException} once fenced. */
    <T> Uni<T> inTenant(Function<SqlConnection, Uni<T>> work);

    /**
     * The fence of {@link #inTenant} for a transaction of the job's tenant that the handler opened itself, to be run
     * just before its writes that count commit: a long transaction (a cost import streaming for minutes) must not hold
     * the job row's share lock all along, which would stall the heartbeats of the replica's every attempt.
     *
     * @throws LeaseLostException (in the Uni) when the attempt no longer holds its lease; the lock then lasts to commit
     */
    Uni<Void> requireLease(SqlConnection connection);
}
