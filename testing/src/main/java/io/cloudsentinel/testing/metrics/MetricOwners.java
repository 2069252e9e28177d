package io.cloudsentinel.testing.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.yaml.snakeyaml.Yaml;

/**
 * deploy/grafana/metrics.yaml: every metric the dashboard and the alert rules query, with the services that export it
 * from their start. Each service's own test holds it to its part; a test in deploy/helm holds the file to the
 * dashboard and the rules.
 */
public record MetricOwners(Map<String, Set<String>> servicesByMetric) {

    /** The file, found from a module's directory (the working directory of its tests). */
    public static MetricOwners fromRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("deploy/grafana/metrics.yaml");
            if (Files.isRegularFile(file)) {
                return load(file);
            }
        }
        throw new IllegalStateException("no deploy/grafana/metrics.yaml above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    public static MetricOwners load(Path file) {
        try {
            Map<String, Object> document = new Yaml().load(Files.readString(file));
            Map<String, Set<String>> owners = new TreeMap<>();
            ((Map<String, List<String>>) document.get("metrics"))
                    .forEach((metric, services) -> owners.put(metric, new TreeSet<>(services)));
            return new MetricOwners(owners);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metrics this service must export. */
    public Set<String> exportedBy(String service) {
        Set<String> metrics = new TreeSet<>();
        servicesByMetric.forEach((metric, services) -> {
            if (services.contains(service)) {
                metrics.add(metric);
            }
        });
        return metrics;
    }

    /** What this service should export and a scrape of its registry (its sample names) does not have. */
    public Set<String> missingFrom(String service, Set<String> scraped) {
        Set<String> missing = exportedBy(service);
        missing.removeAll(scraped);
        return missing;
    }

    public Set<String> metrics() {
        return servicesByMetric.keySet();
    }
}
