package io.cloudsentinel.jobs.store;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudsentinel.jobs.handler.LeaseLostException;
import io.cloudsentinel.platform.tenant.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The first statement of a handler's transaction: the attempt must still hold the job's lease. The share lock keeps it
 * held until the handler's work commits (ending the attempt waits for it), so no write of a fenced attempt lands.
 */
@ApplicationScoped
public class LeaseFence {

    private static final String HELD = """
            SELECT 1 FROM jobs
             WHERE tenant_id = $1 AND id = $2 AND state = 'RUNNING' AND lease_token = $3
               FOR SHARE
            """;

    public Uni<Void> require(SqlClient connection, TenantId tenant, UUID jobId, UUID leaseToken, int attempt) {
        return connection.preparedQuery(HELD).execute(Tuple.of(tenant.value(), jobId, leaseToken)).invoke(rows -> {
            if (rows.size() == 0) {
                throw new LeaseLostException(jobId, attempt);
            }
        }).replaceWithVoid();
    }
}
