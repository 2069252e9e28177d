package io.cloudsentinel.jobs.repository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.cloudsentinel.jobs.JobState;

/**
 * A job as the API reads it. Read-only: every change of a job is a conditional statement in store/ (on state and
 * lease token, with its {@code jobs.events} row), never an entity written back.
 */
@Entity
@Immutable
@Table(name = "jobs")
@IdClass(JobKey.class)
public class Job {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "id")
    UUID id;

    @Column(name = "job_type")
    String jobType;

    @Column(name = "source")
    String source;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload")
    String payload;

    @Enumerated(EnumType.STRING)
    @Column(name = "state")
    JobState state;

    @Column(name = "priority")
    int priority;

    @Column(name = "run_at")
    Instant runAt;

    @Column(name = "attempt")
    int attempt;

    @Column(name = "max_attempts")
    int maxAttempts;

    @Column(name = "cancel_requested")
    boolean cancelRequested;

    @Column(name = "last_error")
    String lastError;

    @Column(name = "dead_reason")
    String deadReason;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    protected Job() {
    }

    public UUID id() {
        return id;
    }

    public String jobType() {
        return jobType;
    }

    /** Where the request came from: {@code api} or {@code kafka}. */
    public String source() {
        return source;
    }

    /** The payload as its JSON text. */
    public String payload() {
        return payload;
    }

    public JobState state() {
        return state;
    }

    public int priority() {
        return priority;
    }

    public Instant runAt() {
        return runAt;
    }

    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<String> deadReason() {
        return Optional.ofNullable(deadReason);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }
}
