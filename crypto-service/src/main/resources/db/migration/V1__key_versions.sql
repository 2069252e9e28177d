-- crypto-service keys. Global, not tenant-owned: tenants are bound into each ciphertext by its associated data.

-- One random 256-bit data key per version, stored only wrapped (AES-256-GCM) under the key-encryption key derived
-- from ENCRYPTION_KEY and KDF_SALT. encryptions_reserved counts encryptions handed out by replicas in blocks, so it
-- is never below the number of encryptions made under the version (the nonce budget of AES-GCM).
CREATE TABLE key_versions (
    version              integer     PRIMARY KEY CHECK (version > 0),
    wrapped_key          bytea       NOT NULL,
    kdf_iterations       integer     NOT NULL CHECK (kdf_iterations > 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    encryptions_reserved bigint      NOT NULL DEFAULT 0 CHECK (encryptions_reserved >= 0)
);

CREATE TABLE key_policy (
    singleton              boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    min_decryption_version integer NOT NULL DEFAULT 1 CHECK (min_decryption_version > 0),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
INSERT INTO key_policy (singleton) VALUES (true);
REVOKE DELETE ON key_versions, key_policy FROM cs_app, cs_system;
