package io.cloudsentinel.testing.metrics;

import java.util.Set;
import java.util.TreeSet;

/**
 * The sample names of a Prometheus text exposition (what {@code PrometheusMeterRegistry.scrape()} returns): the
 * names queries select, suffixes included ({@code _total}, {@code _bucket}, {@code _count}, {@code _sum}).
 */
public final class ScrapedMetricNames {

    private ScrapedMetricNames() {
    }

    public static Set<String> of(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < sample.length() && sample.charAt(end) != '{' && !Character.isWhitespace(sample.charAt(end))) {
                end++;
            }
            names.add(sample.substring(0, end));
        }
        return names;
    }
}
