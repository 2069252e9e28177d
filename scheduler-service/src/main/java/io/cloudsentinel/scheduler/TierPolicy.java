package io.cloudsentinel.scheduler;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.cloudsentinel.scheduler.config.SchedulerConfig;

/** The tiers as configured: the activity thresholds, each tier's interval and job types. */
public record TierPolicy(Duration activeWithin, Duration normalWithin, Map<Tier, Duration> every,
        Map<Tier, List<String>> jobTypes, Set<String> configurable) {

    /** Tiers whose job types are the only ones a tenant admin may configure. */
    public TierPolicy(Duration activeWithin, Duration normalWithin, Map<Tier, Duration> every,
            Map<Tier, List<String>> jobTypes) {
        this(activeWithin, normalWithin, every, jobTypes, Set.of());
    }

    public TierPolicy {
        if (activeWithin.isNegative() || activeWithin.isZero() || normalWithin.compareTo(activeWithin) <= 0) {
            throw new IllegalArgumentException("cs.scheduler.tiers: active-within must be positive and shorter than"
                    + " normal-within, got " + activeWithin + " and " + normalWithin);
        }
        for (Tier tier : Tier.values()) {
            Duration interval = every.get(tier);
            if (interval == null || interval.toSeconds() < 1 || interval.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("cs.scheduler.tiers." + tier.name().toLowerCase()
                        + ".every must be at least one second, got " + interval);
            }
        }
        every = Collections.unmodifiableMap(new EnumMap<>(every));
        jobTypes = Collections.unmodifiableMap(new EnumMap<>(jobTypes));
        configurable = Set.copyOf(configurable);
    }

    public static TierPolicy of(SchedulerConfig config) {
        SchedulerConfig.Tiers tiers = config.tiers();
        Map<Tier, Duration> every = new EnumMap<>(Tier.class);
        every.put(Tier.ACTIVE, tiers.active().every());
        every.put(Tier.NORMAL, tiers.normal().every());
        every.put(Tier.DORMANT, tiers.dormant().every());
        Map<Tier, List<String>> jobTypes = new EnumMap<>(Tier.class);
        jobTypes.put(Tier.ACTIVE, List.copyOf(tiers.active().jobTypes().orElse(List.of())));
        jobTypes.put(Tier.NORMAL, List.copyOf(tiers.normal().jobTypes().orElse(List.of())));
        jobTypes.put(Tier.DORMANT, List.copyOf(tiers.dormant().jobTypes().orElse(List.of())));
        return new TierPolicy(tiers.activeWithin(), tiers.normalWithin(), every, jobTypes,
                Set.copyOf(config.jobTypes()));
    }

    /**
     * The active threshold as {@code cs_tier()} takes it. Which tier an activity time means is decided there
     * alone, in SQL, for the sweep, the API, activity and the stats alike; Java only hands over the thresholds.
     */
    public double activeWithinSeconds() {
        return seconds(activeWithin);
    }

    /** The normal threshold as {@code cs_tier()} takes it. */
    public double normalWithinSeconds() {
        return seconds(normalWithin);
    }

    public Duration every(Tier tier) {
        return every.get(tier);
    }

    public List<String> jobTypes(Tier tier) {
        return jobTypes.get(tier);
    }

    /** The job types a tenant admin may configure: the configured ones and every one some tier schedules. */
    public Set<String> knownJobTypes() {
        Set<String> known = new TreeSet<>(configurable);
        jobTypes.values().forEach(known::addAll);
        return known;
    }

    /** Whole and fractional seconds, so that a threshold such as 1.5s is not cut to 1s on its way to SQL. */
    private static double seconds(Duration duration) {
        return duration.toNanos() / 1_000_000_000.0;
    }
}
