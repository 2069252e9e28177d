package io.cloudsentinel.local;

import java.util.List;
import java.util.Optional;

/**
 * A service of the suite as the launcher starts it: its module directory, database, and where its HTTP port lies
 * from the gateway's ({@link Ports}); its management interface (health and metrics) listens 1000 above.
 */
record ServiceModule(String name, String directory, int portOffset, Optional<String> database) {

    /** In start order: the gateway last, since it is ready only once an upstream answers. */
    static final List<ServiceModule> ALL = List.of(
            new ServiceModule("budget-service", "budget-service", 1, Optional.of("cloudsentinel_budget")),
            new ServiceModule("job-service", "job-service", 2, Optional.of("cloudsentinel_jobs")),
            new ServiceModule("scheduler-service", "scheduler-service", 3, Optional.of("cloudsentinel_scheduler")),
            new ServiceModule("crypto-service", "crypto-service", 4, Optional.of("cloudsentinel_crypto")),
            new ServiceModule("gateway", "gateway", 0, Optional.empty()));

    static List<String> databases() {
        return ALL.stream().flatMap(service -> service.database().stream()).toList();
    }

    static ServiceModule named(String name) {
        return ALL.stream().filter(service -> service.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service named " + name));
    }

    /** Environment variable naming this service's base URL, for the gateway's routes. */
    String urlVariable() {
        return "CS_SERVICE_URL_" + name.replace("-service", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
