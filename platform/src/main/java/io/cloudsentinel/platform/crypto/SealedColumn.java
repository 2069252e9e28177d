package io.cloudsentinel.platform.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A column of a tenant table ({@code tenant_id} first in its key) that stores ciphertexts of crypto-service for one
 * purpose: what {@link StoredSecretRewrap} lifts to the newest key version. Table and column are the service's own
 * constants, never input; they are checked anyway, since they become SQL identifiers.
 */
public record SealedColumn(String table, String column, String purpose) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public SealedColumn {
        for (String identifier : new String[] { table, column }) {
            if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
                throw new IllegalArgumentException("not a plain SQL identifier: " + identifier);
            }
        }
        Objects.requireNonNull(purpose, "purpose");
    }

    /** How the report names it: {@code table.column}. */
    public String name() {
        return table + "." + column;
    }
}
