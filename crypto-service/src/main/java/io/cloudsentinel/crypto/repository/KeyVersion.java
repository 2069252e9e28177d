package io.cloudsentinel.crypto.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One key version's metadata and its wrapped data key: a global row, no tenant data. */
@Entity
@Table(name = "key_versions")
public class KeyVersion {

    @Id
    public int version;

    @Column(name = "wrapped_key", nullable = false, updatable = false)
    public byte[] wrappedKey;

    @Column(name = "kdf_iterations", nullable = false, updatable = false)
    public int kdfIterations;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;

    /** Advanced only by {@code EncryptionReservations}, atomically in SQL; read here. */
    @Column(name = "encryptions_reserved", nullable = false, insertable = false, updatable = false)
    public long encryptionsReserved;
}
