package io.cloudsentinel.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The tiers as configured, as plain Java: what is refused at start, and what the rest of the service reads. */
class TierPolicyTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void eachTierHasItsIntervalAndJobTypes() {
        TierPolicy tiers = new TierPolicy(DAY, WEEK, every(1, 3, 6), jobTypes());

        assertThat(tiers.every(Tier.ACTIVE)).isEqualTo(Duration.ofHours(1));
        assertThat(tiers.every(Tier.DORMANT)).isEqualTo(Duration.ofHours(6));
        assertThat(tiers.jobTypes(Tier.NORMAL)).containsExactly("finops_analysis", "cost_ingestion");
    }

    @Test
    void theKnownJobTypesAreEveryTiersSortedOnce() {
        TierPolicy tiers = new TierPolicy(DAY, WEEK, every(1, 3, 6), jobTypes());

        assertThat(tiers.knownJobTypes()).containsExactly("cost_anomaly_detection", "cost_ingestion",
                "finops_analysis");
    }

    @Test
    void theThresholdsReachSqlWithTheirFractions() {
        TierPolicy tiers = new TierPolicy(Duration.ofMillis(1_500), WEEK, every(1, 3, 6), jobTypes());

        assertThat(tiers.activeWithinSeconds()).isEqualTo(1.5);
        assertThat(tiers.normalWithinSeconds()).isEqualTo(604_800.0);
    }

    @Test
    void activeMustBePositiveAndShorterThanNormal() {
        assertThatThrownBy(() -> new TierPolicy(Duration.ZERO, WEEK, every(1, 3, 6), jobTypes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("active-within");
        assertThatThrownBy(() -> new TierPolicy(DAY.negated(), WEEK, every(1, 3, 6), jobTypes()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TierPolicy(WEEK, WEEK, every(1, 3, 6), jobTypes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("normal-within");
        assertThatThrownBy(() -> new TierPolicy(WEEK, DAY, every(1, 3, 6), jobTypes()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTierNeedsAnIntervalOfAtLeastASecond() {
        Map<Tier, Duration> missing = every(1, 3, 6);
        missing.remove(Tier.NORMAL);
        assertThatThrownBy(() -> new TierPolicy(DAY, WEEK, missing, jobTypes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers.normal.every");

        Map<Tier, Duration> tooShort = every(1, 3, 6);
        tooShort.put(Tier.DORMANT, Duration.ofMillis(999));
        assertThatThrownBy(() -> new TierPolicy(DAY, WEEK, tooShort, jobTypes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiers.dormant.every");

        Map<Tier, Duration> oneSecond = every(1, 3, 6);
        oneSecond.put(Tier.ACTIVE, Duration.ofSeconds(1));
        assertThat(new TierPolicy(DAY, WEEK, oneSecond, jobTypes()).every(Tier.ACTIVE)).hasSeconds(1);
    }

    @Test
    void whatItWasBuiltFromCannotChangeItAfterwards() {
        Map<Tier, Duration> every = every(1, 3, 6);
        TierPolicy tiers = new TierPolicy(DAY, WEEK, every, jobTypes());
        every.put(Tier.ACTIVE, Duration.ofHours(9));

        assertThat(tiers.every(Tier.ACTIVE)).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> tiers.every().put(Tier.ACTIVE, Duration.ofHours(9)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Map<Tier, Duration> every(int activeHours, int normalHours, int dormantHours) {
        Map<Tier, Duration> every = new EnumMap<>(Tier.class);
        every.put(Tier.ACTIVE, Duration.ofHours(activeHours));
        every.put(Tier.NORMAL, Duration.ofHours(normalHours));
        every.put(Tier.DORMANT, Duration.ofHours(dormantHours));
        return every;
    }

    private static Map<Tier, List<String>> jobTypes() {
        Map<Tier, List<String>> jobTypes = new EnumMap<>(Tier.class);
        jobTypes.put(Tier.ACTIVE, List.of("finops_analysis", "cost_ingestion", "cost_anomaly_detection"));
        jobTypes.put(Tier.NORMAL, List.of("finops_analysis", "cost_ingestion"));
        jobTypes.put(Tier.DORMANT, List.of("cost_ingestion"));
        return jobTypes;
    }
}
