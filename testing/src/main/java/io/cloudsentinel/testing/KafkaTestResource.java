package io.cloudsentinel.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a Quarkus test's Kafka clients and messaging channels at the shared {@link KafkaServer}. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_KEY = "kafka.bootstrap.servers";

    @Override
    public Map<String, String> start() {
        KafkaServer server = KafkaServer.shared();
        // Dev Services are build-time settings: services switch them off in application.properties.
        return Map.of(BOOTSTRAP_KEY, server.bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM
    }
}
