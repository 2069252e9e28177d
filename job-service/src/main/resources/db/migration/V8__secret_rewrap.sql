-- secret-rewrap (platform's StoredSecretRewrap): after a key rotation, every stored webhook and cost-source secret is
-- rewrapped under crypto-service's newest version, so that the minimum decryption version can be raised without
-- losing one. It reads the ciphertexts across tenants on this path; each rewrapped one is written back in its
-- tenant's own transaction, only where it is unchanged.
CALL cs_grant_system_task('secret-rewrap', 'webhook_settings', 'read');
CALL cs_grant_system_task('secret-rewrap', 'cost_sources', 'read');
