package io.cloudsentinel.bootstrap;

import java.util.Map;
import java.util.Optional;

/** Reads the CLI's environment (a map, so tests pass their own) and names the variable when one is wrong. */
record Env(Map<String, String> variables) {

    Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String required(String name) {
        return optional(name).orElseThrow(() -> new BootstrapConfigException(name + " is required"));
    }

    /** Passwords keep their spaces: only an unset or empty value is missing. */
    String requiredSecret(String name) {
        String value = variables.get(name);
        if (value == null || value.isEmpty()) {
            throw new BootstrapConfigException(name + " is required");
        }
        return value;
    }

    int positiveInt(String name, int defaultValue) {
        return optional(name).map(value -> parsePositive(name, value)).orElse(defaultValue);
    }

    static int parsePositive(String what, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BootstrapConfigException(what + " must be a positive integer, got '" + value + "'");
    }
}
