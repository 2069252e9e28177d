package io.cloudsentinel.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudsentinel.platform.tenant.TenantId;

/**
 * A job request that passed {@link JobRequestCheck}: whose it is, what to run, and the key that makes its
 * redeliveries one job. Absent {@code jobId} and {@code runAt} are left for the intake to fill, so that the request
 * itself stays what the producer sent.
 */
public record JobRequest(TenantId tenant, Optional<UUID> jobId, String type, String dedupKey, JsonNode payload,
        int priority, Optional<Instant> runAt) {

    /** The payload as JSON text, as it is stored. */
    public String payloadJson() {
        return payload.toString();
    }

    public String requestHash() {
        return RequestHash.of(type, payload, priority, runAt);
    }
}
