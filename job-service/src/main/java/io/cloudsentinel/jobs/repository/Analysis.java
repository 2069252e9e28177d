package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A {@code finops_analysis} job's result as the API reads it. Read-only: the handler writes it with one statement in
 * its fenced transaction (store/AnalysisWrite), so that a fenced attempt cannot.
 */
@Entity
@Immutable
@Table(name = "analyses")
@IdClass(AnalysisKey.class)
public class Analysis {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "job_id")
    UUID jobId;

    @Column(name = "status")
    String status;

    @Column(name = "reason")
    String reason;

    @Column(name = "provider")
    String provider;

    @Column(name = "model")
    String model;

    @Column(name = "input_tokens")
    Long inputTokens;

    @Column(name = "output_tokens")
    Long outputTokens;

    @Column(name = "cost_micros")
    Long costMicros;

    @Column(name = "hold_id")
    UUID holdId;

    @Column(name = "usage_estimated")
    boolean usageEstimated;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "result")
    String result;

    @Column(name = "created_at")
    Instant createdAt;

    protected Analysis() {
    }

    public UUID jobId() {
        return jobId;
    }

    /** {@code completed} or {@code skipped}. */
    public String status() {
        return status;
    }

    /** Why it was skipped. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public Optional<Long> inputTokens() {
        return Optional.ofNullable(inputTokens);
    }

    public Optional<Long> outputTokens() {
        return Optional.ofNullable(outputTokens);
    }

    public Optional<Long> costMicros() {
        return Optional.ofNullable(costMicros);
    }

    public Optional<UUID> holdId() {
        return Optional.ofNullable(holdId);
    }

    public boolean usageEstimated() {
        return usageEstimated;
    }

    /** The schema-checked answer as its JSON text. */
    public Optional<String> result() {
        return Optional.ofNullable(result);
    }

    public Instant createdAt() {
        return createdAt;
    }
}
