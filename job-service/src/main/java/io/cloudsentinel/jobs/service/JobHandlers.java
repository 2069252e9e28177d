package io.cloudsentinel.jobs.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cloudsentinel.jobs.Backoff;
import io.cloudsentinel.jobs.JobTypes;
import io.cloudsentinel.jobs.PayloadSchemas;
import io.cloudsentinel.jobs.config.JobsConfig;
import io.cloudsentinel.jobs.handler.BlockingJobHandler;
import io.cloudsentinel.jobs.handler.JobHandler;
import io.cloudsentinel.jobs.handler.JobTypeHandler;

/** The handler beans by job type, their payload schemas, and the types' settings from {@code cs.jobs.types.<type>.*}. */
@ApplicationScoped
public class JobHandlers {

    private final Map<String, JobHandler> reactive = new HashMap<>();
    private final Map<String, BlockingJobHandler> blocking = new HashMap<>();
    private final JobTypes types;

    public JobHandlers(Instance<JobHandler> reactiveHandlers, Instance<BlockingJobHandler> blockingHandlers,
            JobsConfig config) {
        Map<String, JobTypes.Settings> settings = new HashMap<>();
        Map<String, String> schemas = new HashMap<>();
        for (JobHandler handler : reactiveHandlers) {
            register(handler, settings, schemas, config);
            reactive.put(handler.type(), handler);
        }
        for (BlockingJobHandler handler : blockingHandlers) {
            register(handler, settings, schemas, config);
            blocking.put(handler.type(), handler);
        }
        this.types = new JobTypes(settings, new PayloadSchemas(schemas));
    }

    private static void register(JobTypeHandler handler, Map<String, JobTypes.Settings> settings,
            Map<String, String> schemas, JobsConfig config) {
        String type = handler.type();
        schemas.put(type, handler.payloadSchema());
        if (settings.containsKey(type)) {
            throw new IllegalStateException("two handlers for job type " + type);
        }
        // a type with no settings of its own gets the defaults (the map is @WithDefaults)
        JobsConfig.JobTypeConfig own = config.types().get(type);
        settings.put(type, new JobTypes.Settings(own.timeout(), own.maxAttempts(),
                new Backoff(own.backoffBase(), own.backoffCap()), own.idempotent(), own.concurrency()));
    }

    @Produces
    @Singleton
    JobTypes types() {
        return types;
    }

    public Optional<JobHandler> reactive(String type) {
        return Optional.ofNullable(reactive.get(type));
    }

    public Optional<BlockingJobHandler> blocking(String type) {
        return Optional.ofNullable(blocking.get(type));
    }
}
