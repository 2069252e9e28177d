package io.cloudsentinel.jobs.costs;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One series of a tenant's daily Usage EffectiveCost: a (currency, service, sub-account, region), '' for a missing
 * sub-account or region, and its cost by UTC day. A day without an entry had no row.
 */
public record CostSeries(Id id, NavigableMap<LocalDate, BigDecimal> dailyCost) {

    /** What a series is of; amounts of different currencies are never in one series. */
    public record Id(String currency, String service, String subAccount, String region) {

        /**
         * The series' key in {@code cost_anomalies.series_key}: the four parts URL-encoded and joined by '/', so that
         * no two series share one (a '/' in a service name is encoded) and a person can still read it.
         */
        public String key() {
            return Stream.of(currency, service, subAccount, region)
                    .map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8)).collect(Collectors.joining("/"));
        }
    }

    public CostSeries {
        dailyCost = Collections.unmodifiableNavigableMap(new TreeMap<>(dailyCost));
    }

    /** The first day the series has a row on; empty for a series without rows. */
    public Optional<LocalDate> firstDay() {
        return dailyCost.isEmpty() ? Optional.empty() : Optional.of(dailyCost.firstKey());
    }

    /** The day's cost: zero on a day without a row. */
    public BigDecimal on(LocalDate day) {
        return dailyCost.getOrDefault(day, BigDecimal.ZERO);
    }
}
