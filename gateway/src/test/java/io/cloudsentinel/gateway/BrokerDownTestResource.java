package io.cloudsentinel.gateway;

import java.util.HashMap;
import java.util.Map;

/** The edge surroundings with activity reporting aimed at a broker that is not there, and a tiny queue. */
public class BrokerDownTestResource extends EdgeTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("cs.gateway.activity.enabled", "true");
        config.put("cs.gateway.activity.bootstrap-servers", "127.0.0.1:1");
        config.put("cs.gateway.activity.queue-size", "2");
        return config;
    }
}
