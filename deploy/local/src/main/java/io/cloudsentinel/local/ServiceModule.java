package io.cloudsentinel.local;

import java.util.List;
import java.util.Optional;

/**
 * A service of the suite as the launcher starts it: its module directory, HTTP port, database, and the port of its
 * management interface (health and metrics) 1000 above the HTTP port.
 */
record ServiceModule(String name, String directory, int port, Optional<String> database) {

    /** In start order: the gateway last, since it is ready only once an upstream answers. */
    static final List<ServiceModule> ALL = List.of(
            new ServiceModule("budget-service", "budget-service", 8081, Optional.of("cloudsentinel_budget")),
            new ServiceModule("job-service", "job-service", 8082, Optional.of("cloudsentinel_jobs")),
            new ServiceModule("scheduler-service", "scheduler-service", 8083, Optional.of("cloudsentinel_scheduler")),
            new ServiceModule("crypto-service", "crypto-service", 8084, Optional.of("cloudsentinel_crypto")),
            new ServiceModule("gateway", "gateway", 8080, Optional.empty()));

    static List<String> databases() {
        return ALL.stream().flatMap(service -> service.database().stream()).toList();
    }

    int managementPort() {
        return port + 1000;
    }

    /** Environment variable naming this service's base URL, for the gateway's routes. */
    String urlVariable() {
        return "CS_SERVICE_URL_" + name.replace("-service", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
