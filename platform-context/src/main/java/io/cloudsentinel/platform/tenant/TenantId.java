package io.cloudsentinel.platform.tenant;

import java.util.Objects;
import java.util.UUID;

/** The id of a tenant: every tenant-owned row, request and record carries one. */
public record TenantId(UUID value) {

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
    }

    /** @throws IllegalArgumentException when the text is not a UUID */
    public static TenantId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("tenant id is empty");
        }
        try {
            return new TenantId(UUID.fromString(text.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tenant id is not a UUID: " + text);
        }
    }

    public static TenantId random() {
        return new TenantId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
