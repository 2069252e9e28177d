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

    /** The data key, sealed under a key-encryption key and bound to the version. */
    @Column(name = "wrapped_key", nullable = false, updatable = false)
    public byte[] wrappedKey;

    /** The PBKDF2 iterations of the key-encryption key it is wrapped under. */
    @Column(name = "kdf_iterations", nullable = false, updatable = false)
    public int kdfIterations;

    /**
     * The id of the master key it is wrapped under ({@code MasterKey}); null when wrapped before ids were recorded.
     * Like the wrapped key and the iterations, changed only by a root rotation, in SQL
     * ({@code store/RewrappedKeyWrites}).
     */
    @Column(name = "master_key_id", updatable = false)
    public String masterKeyId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;

    /** Advanced only by {@code EncryptionReservations}, atomically in SQL; read here. */
    @Column(name = "encryptions_reserved", nullable = false, insertable = false, updatable = false)
    public long encryptionsReserved;
}
