package io.cloudsentinel.jobs.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cs.jobs.costs.imports.*}: how FOCUS files are loaded (service/CostImports). */
@ConfigMapping(prefix = "cs.jobs.costs.imports")
public interface CostImportsConfig {

    /**
     * The largest upload, counted on the bytes as sent (gzip or plain) while they stream: beyond it the upload is
     * refused (413) and nothing of it is kept. {@code quarkus.http.limits.max-body-size} must be larger (it cuts an
     * upload with a bare 413 of its own).
     */
    @WithDefault("1G")
    MemorySize maxUploadSize();

    /** Rows per INSERT statement. */
    @WithDefault("1000")
    int batchSize();

    /** Rejected rows kept with their line and reason, per import; all are counted. */
    @WithDefault("1000")
    int maxRejectedKept();

    /**
     * Imports loading at once on this replica, each holding a pooled connection while its files stream: an upload
     * beyond it is refused (503, Retry-After), a fetch waits its turn.
     */
    @WithDefault("4")
    int maxConcurrent();

    /** The most rows one import may load (a gzip file is counted as it inflates): beyond it the import fails. */
    @WithDefault("50000000")
    long maxRows();

    /**
     * How long after its start an import still {@code running} is taken for abandoned (its replica stopped) and
     * recorded failed, at the next import of its source: longer than an upload or a fetch may last.
     */
    @WithDefault("2h")
    Duration abandonedAfter();
}
