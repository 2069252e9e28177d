package io.cloudsentinel.gateway;

import java.util.HashMap;
import java.util.Map;

import io.cloudsentinel.testing.KafkaServer;

/** The edge surroundings plus the real broker, with activity reporting on. */
public class ActivityTestResource extends EdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("cs.gateway.activity.enabled", "true");
        config.put("cs.gateway.activity.bootstrap-servers", KafkaServer.shared().bootstrapServers());
        return config;
    }
}
