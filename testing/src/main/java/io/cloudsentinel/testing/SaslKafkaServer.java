package io.cloudsentinel.testing;

import java.util.Map;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;

/**
 * A second in-JVM KRaft broker whose clients must authenticate (SASL/PLAIN over plaintext, the test kit's admin
 * user): for tests that a client really takes the security settings it is given. Started on first use, stopped with
 * the JVM; embedded only (a container broker with SASL is left to machines with Docker).
 */
public final class SaslKafkaServer {

    private static SaslKafkaServer shared;

    private final String bootstrapServers;

    private SaslKafkaServer(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized SaslKafkaServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What a client needs to be let in, as Kafka client properties. */
    public Map<String, String> clientSecurity() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
    }

    private static SaslKafkaServer start() {
        // the test kit turns the authorizer on with SASL; its controller listener stays plaintext, whose nodes are
        // ANONYMOUS to it, and the admin is who the tests' clients log in as
        return new SaslKafkaServer(KafkaServer.startEmbedded("cs-kafka-sasl-", SecurityProtocol.SASL_PLAINTEXT,
                Map.of("super.users", "User:ANONYMOUS;User:" + JaasUtils.KAFKA_PLAIN_ADMIN)));
    }
}
