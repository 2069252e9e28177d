package io.cloudsentinel.platform.kafka;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Offers {@link Topics#CONFIG_KEYS} as configuration of the lowest precedence, so that a channel property or a
 * {@code @WithDefault} can say {@code ${cs.topics.tenants-activity}} instead of writing the name a second time, and an
 * operator can still rename a topic with one key.
 */
public class TopicDefaults implements ConfigSource {

    @Override
    public Map<String, String> getProperties() {
        return Topics.CONFIG_KEYS;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Topics.CONFIG_KEYS.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return Topics.CONFIG_KEYS.get(propertyName);
    }

    @Override
    public int getOrdinal() {
        // below application.properties (250) and the SmallRye defaults of @WithDefault are resolved against it
        return 10;
    }

    @Override
    public String getName() {
        return "cloudsentinel-topic-defaults";
    }
}
