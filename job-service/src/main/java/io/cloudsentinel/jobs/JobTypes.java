package io.cloudsentinel.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job types this service runs (a registered handler for each) and each type's settings. A type with no handler
 * is unknown: refused at ingestion and at the API, fatal if it is in the table anyway.
 */
public final class JobTypes {

    /** A type's settings as the workers apply them. */
    public record Settings(Duration timeout, int maxAttempts, Backoff backoff, boolean idempotent,
            Optional<Integer> concurrency) {
    }

    private final Map<String, Settings> settings;

    public JobTypes(Map<String, Settings> settings) {
        this.settings = new TreeMap<>(settings);
    }

    public Set<String> names() {
        return settings.keySet();
    }

    public boolean knows(String type) {
        return settings.containsKey(type);
    }

    public Settings of(String type) {
        Settings found = settings.get(type);
        if (found == null) {
            throw new IllegalArgumentException("no handler for job type " + type);
        }
        return found;
    }
}
