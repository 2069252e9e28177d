package io.cloudsentinel.jobs;

/**
 * Why a job request read from Kafka was refused: the {@code cs-dlq-reason} header of its {@code jobs.dlq} record and
 * the {@code reason} label of {@code cs_jobs_dlq_total}. The codes are a contract with whoever reads the topic.
 */
public enum DlqReason {

    /** Not JSON, not an object, a field of the wrong type or out of range, or a payload its type's schema refuses. */
    INVALID_JSON("invalid_json"),
    /** A {@code schemaVersion} other than 1, or none. */
    SCHEMA_VERSION("schema_version"),
    /** No handler for the type, or the type may not be requested through Kafka. */
    UNKNOWN_TYPE("unknown_type"),
    /** The {@code tenant-id} header and the value's {@code tenantId} name different tenants. */
    TENANT_MISMATCH("tenant_mismatch"),
    /** The value is larger than {@code cs.jobs.ingestion.max-record-bytes}. */
    OVERSIZE("oversize"),
    /** No valid {@code tenant-id} header, or neither a {@code dedupKey} nor an {@code event-id} header. */
    MISSING_HEADERS("missing_headers"),
    /** Valid, but it contradicts a stored job: its dedup key names another request, or its job id another job. */
    CONFLICT("conflict");

    private final String code;

    DlqReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
