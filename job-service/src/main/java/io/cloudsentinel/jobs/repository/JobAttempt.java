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

/** One attempt of a job as its history shows it. Read-only: the worker records attempts with its own statements. */
@Entity
@Immutable
@Table(name = "job_attempts")
@IdClass(JobAttemptKey.class)
public class JobAttempt {

    @Id
    @Column(name = "tenant_id")
    UUID tenantId;

    @Id
    @Column(name = "job_id")
    UUID jobId;

    @Id
    @Column(name = "attempt")
    int attempt;

    @Column(name = "worker")
    String worker;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    @Column(name = "outcome")
    String outcome;

    @Column(name = "error")
    String error;

    @Column(name = "exception_class")
    String exceptionClass;

    protected JobAttempt() {
    }

    public int attempt() {
        return attempt;
    }

    public String worker() {
        return worker;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Absent while the attempt runs. */
    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    public Optional<String> outcome() {
        return Optional.ofNullable(outcome);
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public Optional<String> exceptionClass() {
        return Optional.ofNullable(exceptionClass);
    }
}
