package io.cloudsentinel.platform.tenant;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of work that spans tenants (a reaper, a sweep). It is set in the transaction, counted and logged, so
 * that every cross-tenant access is attributable; PostgreSQL lets it read or write only the tables its migrations
 * granted it ({@code cs_grant_system_task}). Work an operator asked for carries who asked ({@link #forOperator}),
 * and is logged at INFO with it.
 */
public record SystemTask(String name, Optional<String> operator) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final int MAX_OPERATOR_LENGTH = 256;

    public SystemTask {
        Objects.requireNonNull(operator, "operator");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("system task name must match " + NAME.pattern() + ": " + name);
        }
        operator.ifPresent(userId -> {
            // it goes into the log line as it is
            if (userId.isEmpty() || userId.length() > MAX_OPERATOR_LENGTH
                    || userId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("an operator is a user id of 1 to 256 printable characters");
            }
        });
    }

    /** Background work: nobody asked for it. */
    public SystemTask(String name) {
        this(name, Optional.empty());
    }

    /** The same task, run because the operator (a user id) asked for it. */
    public SystemTask forOperator(String userId) {
        return new SystemTask(name, Optional.of(userId));
    }
}
