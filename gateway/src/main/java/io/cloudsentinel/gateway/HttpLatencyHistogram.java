package io.cloudsentinel.gateway;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Publishes the gateway's {@code http.server.requests} as a histogram: latency percentiles across replicas come from
 * {@code histogram_quantile} over its buckets (the dashboard), and Quarkus records only count, sum and max by default.
 */
@Singleton
public class HttpLatencyHistogram implements MeterFilter {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return config;
        }
        return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
    }
}
