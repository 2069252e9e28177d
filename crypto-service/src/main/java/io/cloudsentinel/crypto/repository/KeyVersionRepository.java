package io.cloudsentinel.crypto.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** Key versions (wrapped data keys) and the key policy: global rows, no tenant data. */
@ApplicationScoped
public class KeyVersionRepository {

    public record StoredVersion(int version, byte[] wrappedKey, int kdfIterations, Instant createdAt,
            long encryptionsReserved) {
    }

    private final Mutiny.SessionFactory sessions;

    public KeyVersionRepository(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Uni<List<StoredVersion>> all() {
        return sessions.withSession(session -> session.createNativeQuery("""
                SELECT version, wrapped_key, kdf_iterations, created_at, encryptions_reserved
                  FROM key_versions ORDER BY version
                """, Object[].class).getResultList())
                .map(rows -> rows.stream().map(row -> new StoredVersion(((Number) row[0]).intValue(), (byte[]) row[1],
                        ((Number) row[2]).intValue(), instant(row[3]), ((Number) row[4]).longValue())).toList());
    }

    /** Adds the next version; false when another replica took that number first. */
    public Uni<Boolean> insert(int version, byte[] wrappedKey, int iterations) {
        return sessions.withTransaction(session -> session.createNativeQuery("""
                INSERT INTO key_versions (version, wrapped_key, kdf_iterations) VALUES (:version, :key, :iterations)
                ON CONFLICT (version) DO NOTHING
                """)
                .setParameter("version", version)
                .setParameter("key", wrappedKey)
                .setParameter("iterations", iterations)
                .executeUpdate()
                .map(inserted -> inserted == 1));
    }

    /**
     * Adds {@code expectedNewest + 1} only if {@code expectedNewest} is still the newest version: automatic
     * rotations of several replicas that noticed the same need add one version, not one each.
     */
    public Uni<Boolean> insertIfNewest(int expectedNewest, byte[] wrappedKey, int iterations) {
        return sessions.withTransaction(session -> session.createNativeQuery("""
                INSERT INTO key_versions (version, wrapped_key, kdf_iterations)
                SELECT :next, :key, :iterations
                 WHERE (SELECT coalesce(max(version), 0) FROM key_versions) = :expected
                ON CONFLICT (version) DO NOTHING
                """)
                .setParameter("next", expectedNewest + 1)
                .setParameter("key", wrappedKey)
                .setParameter("iterations", iterations)
                .setParameter("expected", expectedNewest)
                .executeUpdate()
                .map(inserted -> inserted == 1));
    }

    /** Reserves a block of encryptions under the version; the total reserved after it. */
    public Uni<Long> reserve(int version, long count) {
        return sessions.withTransaction(session -> session.createNativeQuery("""
                UPDATE key_versions SET encryptions_reserved = encryptions_reserved + :count
                 WHERE version = :version RETURNING encryptions_reserved
                """, Long.class)
                .setParameter("count", count)
                .setParameter("version", version)
                .getSingleResult());
    }

    public Uni<Integer> minDecryptionVersion() {
        return sessions.withSession(session -> session
                .createNativeQuery("SELECT min_decryption_version FROM key_policy", Integer.class).getSingleResult());
    }

    public Uni<Void> setMinDecryptionVersion(int version) {
        return sessions.withTransaction(session -> session.createNativeQuery(
                "UPDATE key_policy SET min_decryption_version = :version, updated_at = now()")
                .setParameter("version", version)
                .executeUpdate()
                .replaceWithVoid());
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime offset ? offset.toInstant()
                : value instanceof Instant instant ? instant
                        : ((java.time.LocalDateTime) value).toInstant(java.time.ZoneOffset.UTC);
    }
}
