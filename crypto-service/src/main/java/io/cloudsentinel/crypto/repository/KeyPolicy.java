package io.cloudsentinel.crypto.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one key policy row: the oldest version that may still decrypt. */
@Entity
@Table(name = "key_policy")
public class KeyPolicy {

    @Id
    public boolean singleton;

    @Column(name = "min_decryption_version", nullable = false)
    public int minDecryptionVersion;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
