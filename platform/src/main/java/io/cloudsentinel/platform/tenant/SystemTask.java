package io.cloudsentinel.platform.tenant;

import java.util.regex.Pattern;

/**
 * The name of work that spans tenants (a reaper, a sweep). It is set in the transaction, counted and logged, so
 * that every cross-tenant access is attributable.
 */
public record SystemTask(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public SystemTask {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("system task name must match " + NAME.pattern() + ": " + name);
        }
    }
}
