package io.cloudsentinel.jobs.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.config.CostImportsConfig;
import io.cloudsentinel.jobs.costs.CostFile;
import io.cloudsentinel.jobs.costs.CostFiles;
import io.cloudsentinel.jobs.costs.CostSettings;
import io.cloudsentinel.jobs.costs.CountedBody;
import io.cloudsentinel.jobs.costs.FocusFormatException;
import io.cloudsentinel.jobs.costs.FocusReadResult;
import io.cloudsentinel.jobs.costs.FocusReader;
import io.cloudsentinel.jobs.costs.FocusRow;
import io.cloudsentinel.jobs.costs.ImportOutcome;
import io.cloudsentinel.jobs.costs.ImportRejection;
import io.cloudsentinel.jobs.costs.RejectedRow;
import io.cloudsentinel.jobs.handler.JobRun;
import io.cloudsentinel.jobs.store.CostImportLog;
import io.cloudsentinel.jobs.store.CostPeriodReplace;
import io.cloudsentinel.jobs.store.CostRowBatchInsert;
import io.cloudsentinel.jobs.store.CostSettingsRead;
import io.cloudsentinel.platform.problem.Problem;
import io.cloudsentinel.platform.problem.ProblemException;
import io.cloudsentinel.platform.problem.ProblemTypes;
import io.cloudsentinel.platform.tenant.TenantId;
import io.cloudsentinel.platform.tenant.TenantTransactions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Loads FOCUS files into a source's billing periods, one import at a time: the import is recorded {@code running},
 * then its files are read on the calling thread (an upload's request thread, a cost_ingestion attempt's thread, so
 * that a timeout's interrupt stops the reading) while their rows are inserted in batches inside ONE tenant
 * transaction — the next batch is parsed while the previous one is written. At the end of the files, in that same
 * transaction, the periods the files hold replace the source's earlier rows of those periods and their aggregates
 * ({@link CostPeriodReplace}), and the import is recorded succeeded. A file that is no FOCUS CSV, or more rejected
 * rows than the tenant allows ({@code maxRejectedRows}, 0 by default: a restated month missing rows would undercount),
 * rolls it all back: the earlier data stays, and the import records why in a transaction of its own.
 */
@ApplicationScoped
public class CostImports {

    public static final URI IMPORT_FAILED = ProblemTypes.of("cost-import-failed");
    public static final URI UPLOAD_TOO_LARGE = ProblemTypes.of("upload-too-large");
    public static final URI IMPORTS_BUSY = ProblemTypes.of("imports-busy");

    private static final Logger LOG = Logger.getLogger(CostImports.class);
    private static final java.time.Duration RECORD_WAIT = java.time.Duration.ofSeconds(30);

    private final TenantTransactions transactions;
    private final CostImportLog log;
    private final CostRowBatchInsert rows;
    private final CostPeriodReplace replace;
    private final CostSettingsRead settings;
    private final CostImportsConfig config;
    private final Clock clock;
    /** Each import holds a pooled connection while its files stream: so many at once on this replica, no more. */
    private final Semaphore running;

    public CostImports(TenantTransactions transactions, CostImportLog log, CostRowBatchInsert rows,
            CostPeriodReplace replace, CostSettingsRead settings, CostImportsConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize httpLimit) {
        requireHttpLimitAbove(config.maxUploadSize(), httpLimit);
        // the load cannot run twice: its files are read once, so a deadlock retry must fail instead
        this.transactions = transactions.retrying(0, java.time.Duration.ZERO, java.time.Duration.ZERO);
        this.log = log;
        this.rows = rows;
        this.replace = replace;
        this.settings = settings;
        this.config = config;
        this.clock = clock;
        this.running = new Semaphore(config.maxConcurrent(), true);
    }

    /** Made at start, so that a configuration where Quarkus would cut uploads before their own limit stops it. */
    void onStart(@Observes StartupEvent started) {
        LOG.debugf("cost uploads of at most %d bytes", config.maxUploadSize().asLongValue());
    }

    /** Quarkus cuts a larger body with a bare 413 and no problem: the upload's own limit must come first. */
    static void requireHttpLimitAbove(MemorySize uploadLimit, MemorySize httpLimit) {
        if (httpLimit.asLongValue() <= uploadLimit.asLongValue()) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + httpLimit.asLongValue()
                    + " bytes) must be above cs.jobs.costs.imports.max-upload-size (" + uploadLimit.asLongValue()
                    + " bytes)");
        }
    }

    /**
     * An upload, read as it streams (blocking: on the request's worker thread).
     *
     * @throws ProblemException 413 {@code upload-too-large} past {@code cs.jobs.costs.imports.max-upload-size}; or the
     *         stream's own refusal (a body that differs from its signed digest); the import records it failed
     */
    public ImportOutcome upload(TenantId tenant, String source, InputStream body) {
        long limit = config.maxUploadSize().asLongValue();
        CountedBody limited = new CountedBody(body, limit, max -> tooLarge(max));
        if (!running.tryAcquire()) {
            throw new ProblemException(Problem.of(IMPORTS_BUSY, 503, "Imports busy", config.maxConcurrent()
                    + " imports are loading on this replica (cs.jobs.costs.imports.max-concurrent); nothing was read,"
                    + " send it again later"), Map.of("Retry-After", "30"));
        }
        try {
            return ingest(tenant, source, "upload", null, CostFiles.of(new CostFile("upload", limited)),
                    connection -> Uni.createFrom().voidItem());
        } finally {
            running.release();
        }
    }

    /**
     * A fetched export, for a cost_ingestion attempt (blocking: call it from a BlockingJobHandler). The load runs in a
     * transaction of the job's tenant whose last step, before the periods are replaced, is the attempt's lease fence:
     * a fenced attempt replaces nothing, and the job row is not share-locked while the files stream.
     */
    public ImportOutcome fetched(JobRun run, String source, CostFiles files) throws InterruptedException {
        running.acquire();
        try {
            return ingest(run.tenant(), source, "fetch", run.jobId(), files, run::requireLease);
        } finally {
            running.release();
        }
    }

    public static ProblemException tooLarge(long limit) {
        return new ProblemException(Problem.of(UPLOAD_TOO_LARGE, 413, "Upload too large",
                "the upload is larger than " + limit + " bytes (cs.jobs.costs.imports.max-upload-size); nothing of it"
                        + " was kept"));
    }

    private ImportOutcome ingest(TenantId tenant, String source, String origin, UUID jobId, CostFiles files,
            Function<SqlConnection, Uni<Void>> fence) {
        UUID importId = UUID.randomUUID();
        Instant now = clock.instant();
        // an import still running long after any could (its replica died) is failed first: it never will end
        transactions.inTenant(tenant, connection -> log.failAbandoned(connection, tenant, source,
                now.minus(config.abandonedAfter()), now)
                .chain(() -> log.start(connection, tenant, importId, source, origin, jobId, now)))
                .await().indefinitely();
        Reading reading = new Reading(tenant, source, importId);
        try {
            Loaded loaded = load(reading, files, fence);
            LOG.infof("cost import %s of source %s (tenant %s): %d rows loaded, %d rejected, %d earlier rows of %d"
                    + " billing periods replaced", importId, source, tenant, loaded.accepted(), loaded.rejectedCount(),
                    loaded.superseded(), loaded.periods().size());
            return new ImportOutcome(importId, ImportOutcome.ImportStatus.SUCCEEDED, loaded.accepted(),
                    loaded.rejectedCount(), Optional.empty(), false);
        } catch (ImportRefused refused) {
            return failed(reading, refused.getMessage(), false);
        } catch (IOException e) {
            return failed(reading, "a file could not be read to its end (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", true);
        } catch (RuntimeException e) {
            Optional<String> refusedValue = valueOutOfRange(e);
            if (refusedValue.isPresent()) {
                return failed(reading, "PostgreSQL refused a value of the file: " + refusedValue.get(), false);
            }
            failed(reading, e instanceof ProblemException problem ? problem.problem().detail()
                    : "the import stopped: " + e.getClass().getSimpleName(), true);
            throw e;
        }
    }

    /** A data exception (SQLSTATE class 22) is the file's: a value the checks let through and PostgreSQL does not. */
    private static Optional<String> valueOutOfRange(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                return Optional.of(pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")");
            }
        }
        return Optional.empty();
    }

    private ImportOutcome failed(Reading reading, String failure, boolean retryable) {
        LOG.infof("cost import %s of source %s (tenant %s) failed, the earlier data is kept: %s", reading.importId,
                reading.source, reading.tenant, failure);
        CostImportLog.End end = new CostImportLog.End("failed", 0, reading.rejectedCount, reading.bytes, Set.of(),
                List.copyOf(reading.ignored), failure, reading.rejected);
        // recorded also after an interrupt (the job's timeout): the flag would make the wait throw at once
        boolean interrupted = Thread.interrupted();
        try {
            transactions.inTenant(reading.tenant, connection -> log.end(connection, reading.tenant,
                    reading.importId, end, clock.instant())).await().atMost(RECORD_WAIT);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new ImportOutcome(reading.importId, ImportOutcome.ImportStatus.FAILED, 0, reading.rejectedCount,
                Optional.of(failure), retryable);
    }

    /**
     * Opens the transaction, hands its connection to this thread, which reads and inserts; the transaction's work ends
     * when the reading does: it then replaces the periods and commits, or rolls back with the reading's failure.
     */
    private Loaded load(Reading reading, CostFiles files, Function<SqlConnection, Uni<Void>> fence)
            throws IOException, ImportRefused {
        CompletableFuture<SqlConnection> entered = new CompletableFuture<>();
        CompletableFuture<Loaded> read = new CompletableFuture<>();
        AtomicBoolean began = new AtomicBoolean();
        CompletableFuture<Loaded> committed = transactions.inTenant(reading.tenant, connection -> {
            if (!began.compareAndSet(false, true)) {
                return Uni.createFrom().failure(new IllegalStateException("an import's transaction cannot run"
                        + " again: its files were read"));
            }
            entered.complete(connection);
            return Uni.createFrom().completionStage(read).chain(loaded -> fence.apply(connection)
                    .chain(() -> replace.replace(connection, reading.tenant, reading.source, reading.importId,
                            loaded.periods()))
                    .chain(replaced -> log.end(connection, reading.tenant, reading.importId, new CostImportLog.End(
                            "succeeded", loaded.accepted(), loaded.rejectedCount(), reading.bytes, loaded.periods(),
                            List.copyOf(reading.ignored), null, reading.rejected), clock.instant())
                            .replaceWith(loaded.superseding(replaced.supersededRows()))));
        }).subscribeAsCompletionStage();
        try {
            CompletableFuture.anyOf(entered, committed).get();
            if (!entered.isDone()) {
                // the transaction failed before its work began (a fenced attempt, no connection)
                return committed.join();
            }
            read.complete(readAll(entered.join(), reading, files));
        } catch (IOException | ImportRefused | RuntimeException e) {
            read.completeExceptionally(e);
            committed.exceptionally(ignored -> null).join();
            throw e;
        } catch (InterruptedException e) {
            read.completeExceptionally(e);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the import was interrupted (its job's timeout)", e);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (Error e) {
            // the transaction must end even so, or it would hold its connection for ever
            read.completeExceptionally(e);
            committed.exceptionally(ignored -> null).join();
            throw e;
        }
        try {
            return committed.join();
        } catch (CompletionException e) {
            throw unchecked(e.getCause());
        }
    }

    private Loaded readAll(SqlConnection connection, Reading reading, CostFiles files)
            throws IOException, ImportRefused {
        CostSettings tenantSettings = settings.of(connection, reading.tenant).await().indefinitely();
        FocusReader reader = new FocusReader(config.batchSize(), config.maxRejectedKept());
        Set<Instant> periods = new TreeSet<>();
        long accepted = 0;
        int fileCount = 0;
        Optional<CostFile> next;
        while ((next = files.next()).isPresent()) {
            CostFile file = next.get();
            fileCount++;
            String named = fileCount > 1 || !"upload".equals(file.name()) ? file.name() + ": " : "";
            Batches batches = new Batches(connection, reading, fileCount, periods);
            FocusReadResult result;
            try (CountedBody body = CountedBody.unlimited(file.body())) {
                try {
                    long allowed = Math.max(0, tenantSettings.maxRejectedRows() - reading.rejectedCount);
                    result = reader.read(new FilterInputStream(body) {
                        @Override
                        public void close() {
                            // drained below, then closed by the try
                        }
                    }, batches::write, allowed);
                    if (result.stoppedAtLine() > 0) {
                        reading.rejectedCount += result.rejectedCount();
                        keepRejected(reading, result, fileCount, named);
                        throw new ImportRefused("more than " + tenantSettings.maxRejectedRows() + " row"
                                + (tenantSettings.maxRejectedRows() == 1 ? " was" : "s were") + " rejected (the cost"
                                + " setting maxRejectedRows); reading stopped at " + named + "line "
                                + result.stoppedAtLine() + "; the earlier data is kept");
                    }
                    // to its very end, past a gzip trailer: a streamed body's digest is checked when it ends
                    body.transferTo(OutputStream.nullOutputStream());
                } finally {
                    reading.bytes += body.count();
                }
                batches.awaitLast();
            } catch (FocusFormatException e) {
                throw new ImportRefused(named + "line " + e.line() + ": " + e.getMessage());
            } catch (TooManyRows e) {
                throw new ImportRefused("the import holds more than " + config.maxRows() + " rows"
                        + " (cs.jobs.costs.imports.max-rows); the earlier data is kept");
            }
            accepted += result.acceptedCount();
            reading.rejectedCount += result.rejectedCount();
            reading.ignored.addAll(result.ignoredColumns());
            keepRejected(reading, result, fileCount, named);
        }
        if (reading.rejectedCount > tenantSettings.maxRejectedRows()) {
            throw new ImportRefused(reading.rejectedCount + " row" + (reading.rejectedCount == 1 ? " was" : "s were")
                    + " rejected (at most " + tenantSettings.maxRejectedRows() + " allowed: the cost setting"
                    + " maxRejectedRows); the earlier data is kept");
        }
        return new Loaded(accepted, reading.rejectedCount, periods, 0);
    }

    private void keepRejected(Reading reading, FocusReadResult result, int file, String named) {
        for (RejectedRow rejected : result.rejected()) {
            if (reading.rejected.size() < config.maxRejectedKept()) {
                reading.rejected.add(new ImportRejection(file, rejected.line(), named + rejected.reason()));
            }
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        return failure instanceof RuntimeException runtime ? runtime : new CompletionException(failure);
    }

    /** One file's batches: the next is parsed while the previous one is written, never more than one in flight. */
    private final class Batches {

        private final SqlConnection connection;
        private final Reading reading;
        private final int file;
        private final Set<Instant> periods;
        private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        Batches(SqlConnection connection, Reading reading, int file, Set<Instant> periods) {
            this.connection = connection;
            this.reading = reading;
            this.file = file;
            this.periods = periods;
        }

        void write(List<FocusRow> batch) {
            awaitLast();
            reading.loaded += batch.size();
            if (reading.loaded > config.maxRows()) {
                throw new TooManyRows();
            }
            for (FocusRow row : batch) {
                periods.add(row.billingPeriodStart());
            }
            inFlight = rows.insert(connection, reading.tenant, reading.source, reading.importId, file, batch)
                    .subscribeAsCompletionStage();
        }

        void awaitLast() {
            try {
                inFlight.join();
            } catch (CompletionException e) {
                throw unchecked(e.getCause());
            }
        }
    }

    /** What the reading found so far, recorded also when it fails. */
    private static final class Reading {

        final TenantId tenant;
        final String source;
        final UUID importId;
        final List<ImportRejection> rejected = new ArrayList<>();
        final Set<String> ignored = new LinkedHashSet<>();
        long rejectedCount;
        long loaded;
        long bytes;

        Reading(TenantId tenant, String source, UUID importId) {
            this.tenant = tenant;
            this.source = source;
            this.importId = importId;
        }
    }

    private record Loaded(long accepted, long rejectedCount, Set<Instant> periods, long superseded) {

        Loaded superseding(long rows) {
            return new Loaded(accepted, rejectedCount, periods, rows);
        }
    }

    /** The rows of an import passed cs.jobs.costs.imports.max-rows, thrown out of the reader's batch consumer. */
    private static final class TooManyRows extends RuntimeException {

        TooManyRows() {
            super(null, null, false, false);
        }
    }

    /** The files' content refuses the import: reading them again fails again. */
    private static final class ImportRefused extends Exception {

        ImportRefused(String message) {
            super(message, null, false, false);
        }
    }
}
