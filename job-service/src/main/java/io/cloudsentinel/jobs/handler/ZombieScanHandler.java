package io.cloudsentinel.jobs.handler;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudsentinel.jobs.config.IdleResourceConfig;
import io.cloudsentinel.jobs.store.IdleResourceScan;
import io.smallrye.mutiny.Uni;

/**
 * {@code zombie_scan}: replaces the tenant's idle resources ({@link IdleResourceScan}) in the attempt's fenced
 * transaction, so that a scan is all or nothing and a repeated one lists the same.
 */
@ApplicationScoped
public class ZombieScanHandler implements JobHandler {

    public static final String TYPE = "zombie_scan";

    private static final Logger LOG = Logger.getLogger(ZombieScanHandler.class);

    private final IdleResourceScan scan;
    private final IdleResourceConfig config;
    private final Clock clock;

    public ZombieScanHandler(IdleResourceScan scan, IdleResourceConfig config, Clock clock) {
        if (config.days() < 1) {
            throw new IllegalStateException("cs.jobs.costs.idle.days must be at least 1");
        }
        this.scan = scan;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Uni<Void> run(JobRun run) {
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        return run.inTenant(connection -> scan.replace(connection, run.tenant(), yesterday, config.days(),
                clock.instant())).invoke(found -> LOG.infof("%s job %s: %d idle resources", TYPE, run.jobId(), found))
                .replaceWithVoid();
    }
}
