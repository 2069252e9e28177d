-- secret-rewrap (platform's StoredSecretRewrap): after a key rotation, every stored provider key is rewrapped under
-- crypto-service's newest version, so that the minimum decryption version can be raised without losing one. It reads
-- the ciphertexts across tenants on this path; each rewrapped one is written back in its tenant's own transaction,
-- only where it is unchanged.
CALL cs_grant_system_task('secret-rewrap', 'llm_settings', 'read');
