package io.cloudsentinel.platform.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;

/**
 * How a service's own Kafka clients (the outbox's producer, the gateway's activity producer) reach a secured broker
 * with the same settings as its SmallRye channels, which take every {@code kafka.*} key: {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*}, from {@code kafka.security.protocol} or {@code KAFKA_SECURITY_PROTOCOL} alike.
 */
public final class KafkaClientSecurity {

    private KafkaClientSecurity() {
    }

    /** The security settings of the service's configuration, as Kafka client properties. */
    public static Map<String, String> of(Config config) {
        return of(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    static Map<String, String> of(Iterable<String> names, Function<String, String> value) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : names) {
            String key = clientKey(name);
            String setting = key == null ? null : value.apply(name);
            if (setting != null) {
                // a dotted key is the exact one; an environment variable's only fills in
                if (name.startsWith("kafka.")) {
                    settings.put(key, setting);
                } else {
                    settings.putIfAbsent(key, setting);
                }
            }
        }
        return settings;
    }

    /** {@code kafka.sasl.jaas.config} and {@code KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}; else null. */
    private static String clientKey(String name) {
        String key;
        if (name.startsWith("kafka.")) {
            key = name.substring("kafka.".length());
        } else if (name.startsWith("KAFKA_")) {
            key = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        } else {
            return null;
        }
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.") ? key : null;
    }
}
