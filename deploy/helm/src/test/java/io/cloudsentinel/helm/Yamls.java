package io.cloudsentinel.helm;

import java.util.List;
import java.util.Map;

/** Walks parsed YAML: maps by key, lists as they are. */
final class Yamls {

    private Yamls() {
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static String string(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String... path) {
        Object value = at(node, path);
        return value instanceof List ? (List<Map<String, Object>>) value : List.of();
    }

    /** The containers of a Deployment or a Job (its pod template's). */
    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(workload, "spec", "template", "spec", "containers");
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(workload, "spec", "template", "spec");
    }
}
