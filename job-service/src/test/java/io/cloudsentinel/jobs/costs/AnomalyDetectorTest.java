package io.cloudsentinel.jobs.costs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The detector on series made in the test: what is an anomaly, what is noise, and when there is no verdict. */
class AnomalyDetectorTest {

    private static final CostSeries.Id EC2 = new CostSeries.Id("USD", "Amazon EC2", "111122223333", "us-east-1");
    private static final LocalDate START = LocalDate.parse("2026-10-01");
    private static final AnomalyDetector DEFAULTS = AnomalyDetector.of(CostSettings.DEFAULTS);

    /**
     * Days around 1,000 with ±30% of uniform noise (the same on every run): a day may be 300 above the median, past
     * the minimum impact, so that only the score keeps noise from being flagged.
     */
    private static TreeMap<LocalDate, BigDecimal> noisy(int days, long seed) {
        Random random = new Random(seed);
        TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
        for (int i = 0; i < days; i++) {
            costs.put(START.plusDays(i), BigDecimal.valueOf(70_000 + random.nextInt(60_001), 2));
        }
        return costs;
    }

    private static TreeMap<LocalDate, BigDecimal> flat(int days, String amount) {
        TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
        for (int i = 0; i < days; i++) {
            costs.put(START.plusDays(i), new BigDecimal(amount));
        }
        return costs;
    }

    private static CostSeries series(Map<LocalDate, BigDecimal> costs) {
        return new CostSeries(EC2, new TreeMap<>(costs));
    }

    private static LocalDate day(int index) {
        return START.plusDays(index);
    }

    @Test
    void aPlantedSpikeInANoisySeriesIsFlaggedWithItsBaselineAndImpact() {
        TreeMap<LocalDate, BigDecimal> costs = noisy(40, 7);
        costs.put(day(35), new BigDecimal("3000.00"));

        List<DetectedAnomaly> found = DEFAULTS.detect(series(costs), day(28), day(39));

        assertThat(found).hasSize(1);
        DetectedAnomaly spike = found.get(0);
        assertThat(spike.day()).isEqualTo(day(35));
        assertThat(spike.series()).isEqualTo(EC2);
        assertThat(spike.effectiveCost()).isEqualByComparingTo("3000.00");
        assertThat(spike.baselineMedian()).isBetween(new BigDecimal("850"), new BigDecimal("1150"));
        assertThat(spike.impact()).isEqualByComparingTo(spike.effectiveCost().subtract(spike.baselineMedian()));
        assertThat(spike.score()).isGreaterThan(new BigDecimal("3.5"));
    }

    @Test
    void noiseWithinNormalVariationIsNotFlagged() {
        for (long seed = 1; seed <= 50; seed++) {
            assertThat(DEFAULTS.detect(series(noisy(40, seed)), day(14), day(39))).as("seed " + seed).isEmpty();
        }
    }

    @Test
    void theBaselineIsTheMedianAndMadOfThe28DaysBeforeExactly() {
        // days 0..27 alternate 100 and 110: median 105, MAD 5, scale 7.413; day 28 costs 300: z = 195 / 7.413
        TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
        for (int i = 0; i < 28; i++) {
            costs.put(day(i), new BigDecimal(i % 2 == 0 ? "100" : "110"));
        }
        costs.put(day(28), new BigDecimal("300"));
        AnomalyDetector detector = new AnomalyDetector(new BigDecimal("3.5"), new BigDecimal("50"));

        DetectedAnomaly spike = detector.evaluate(series(costs), day(28)).orElseThrow();

        assertThat(spike.baselineMedian()).isEqualByComparingTo("105");
        assertThat(spike.baselineMad()).isEqualByComparingTo("5");
        assertThat(spike.impact()).isEqualByComparingTo("195");
        assertThat(spike.score()).isEqualByComparingTo("26.305140");
    }

    @Test
    void aSpikeUnderTheMinimumImpactIsNotFlaggedHoweverHighItsScore() {
        TreeMap<LocalDate, BigDecimal> costs = flat(30, "0.50");
        costs.put(day(30), new BigDecimal("60.00"));

        assertThat(DEFAULTS.evaluate(series(costs), day(30))).as("59.50 above a 100 minimum").isEmpty();
        AnomalyDetector lower = new AnomalyDetector(new BigDecimal("3.5"), new BigDecimal("50"));
        assertThat(lower.evaluate(series(costs), day(30))).as("59.50 above a 50 minimum").isPresent();
    }

    @Test
    void aJumpAfterAFlatSeriesIsFlaggedWithoutDividingByZero() {
        TreeMap<LocalDate, BigDecimal> costs = flat(30, "200.00");
        costs.put(day(30), new BigDecimal("500.00"));

        DetectedAnomaly jump = DEFAULTS.evaluate(series(costs), day(30)).orElseThrow();

        assertThat(jump.baselineMad()).isEqualByComparingTo("0");
        // scale is 1% of the median, 2.00: z = 300 / 2
        assertThat(jump.score()).isEqualByComparingTo("150");
    }

    @Test
    void aFlatZeroSeriesThenAJumpScoresAgainstTheAbsoluteFloor() {
        TreeMap<LocalDate, BigDecimal> costs = flat(20, "0");
        costs.put(day(20), new BigDecimal("150"));

        DetectedAnomaly jump = DEFAULTS.evaluate(series(costs), day(20)).orElseThrow();

        assertThat(jump.score()).isEqualByComparingTo("15000");
    }

    @Test
    void tooShortAHistoryGivesNoVerdict() {
        TreeMap<LocalDate, BigDecimal> costs = flat(13, "100");
        costs.put(day(13), new BigDecimal("10000"));
        assertThat(DEFAULTS.evaluate(series(costs), day(13))).as("13 baseline days").isEmpty();

        costs = flat(14, "100");
        costs.put(day(14), new BigDecimal("10000"));
        assertThat(DEFAULTS.evaluate(series(costs), day(14))).as("14 baseline days").isPresent();
    }

    @Test
    void daysWithoutARowCountAsZeroOnlyFromTheSeriesFirstDay() {
        // rows every other day from day 0: the missing days are zeros, so the median is 50 and 400 is a spike
        TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
        for (int i = 0; i < 28; i += 2) {
            costs.put(day(i), new BigDecimal("100"));
        }
        costs.put(day(28), new BigDecimal("400"));
        DetectedAnomaly spike = new AnomalyDetector(new BigDecimal("3.5"), new BigDecimal("10"))
                .evaluate(series(costs), day(28)).orElseThrow();
        assertThat(spike.baselineMedian()).isEqualByComparingTo("50");

        // a series that starts on day 20 has 8 baseline days on day 28, not 28 with 20 zeros
        TreeMap<LocalDate, BigDecimal> late = new TreeMap<>(flat(29, "100").tailMap(day(20)));
        late.put(day(28), new BigDecimal("10000"));
        assertThat(DEFAULTS.evaluate(series(late), day(28))).isEmpty();
    }

    @Test
    void aDropIsNotFlagged() {
        TreeMap<LocalDate, BigDecimal> costs = noisy(40, 3);
        costs.put(day(35), new BigDecimal("0.00"));
        costs.remove(day(36));

        assertThat(DEFAULTS.detect(series(costs), day(28), day(39))).isEmpty();
    }

    @Test
    void anEarlierSpikeInTheBaselineDoesNotHideTheNextOne() {
        TreeMap<LocalDate, BigDecimal> costs = noisy(40, 11);
        costs.put(day(30), new BigDecimal("5000.00"));
        costs.put(day(36), new BigDecimal("5000.00"));

        assertThat(DEFAULTS.detect(series(costs), day(28), day(39))).extracting(DetectedAnomaly::day)
                .containsExactly(day(30), day(36));
    }

    @Test
    void theTenantsThresholdDecides() {
        TreeMap<LocalDate, BigDecimal> costs = flat(30, "1000");
        costs.put(day(30), new BigDecimal("1150"));
        // scale 10 (1% of 1000): z = 15
        assertThat(new AnomalyDetector(new BigDecimal("15"), new BigDecimal("100")).evaluate(series(costs), day(30)))
                .isPresent();
        assertThat(new AnomalyDetector(new BigDecimal("15.01"), new BigDecimal("100"))
                .evaluate(series(costs), day(30))).isEmpty();
    }

    @Test
    void anEmptySeriesOrADayBeforeItsFirstRowHasNoVerdict() {
        assertThat(DEFAULTS.evaluate(new CostSeries(EC2, new TreeMap<>()), day(0))).isEqualTo(Optional.empty());
        assertThat(DEFAULTS.evaluate(series(flat(40, "5")), day(-1))).isEmpty();
    }

    @Test
    void seriesKeysOfDifferentSeriesDiffer() {
        assertThat(new CostSeries.Id("USD", "a/b", "", "c").key())
                .isNotEqualTo(new CostSeries.Id("USD", "a", "b", "c").key());
        assertThat(EC2.key()).isEqualTo("USD/Amazon+EC2/111122223333/us-east-1");
    }
}
