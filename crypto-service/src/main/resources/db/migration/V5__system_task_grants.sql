-- What each system task of crypto-service touches (cs_grant_system_task, platform beforeMigrate.sql). Its tables are
-- global, not tenant tables, so no row-level policy checks these grants (table privileges govern them): they declare
-- each task's needs like every service's, and the service test holds every task the code names to having one.

-- Keyring, KeyRotation, EncryptionBudget: load the key versions, insert a new one, reserve encryptions, and read and
-- change the key policy (the minimum decryption version).
CALL cs_grant_system_task('keyring', 'key_versions', 'write');
CALL cs_grant_system_task('keyring', 'key_policy', 'write');

-- RootRotation: claims key versions in order (FOR UPDATE) and rewraps their data keys under the current master key.
CALL cs_grant_system_task('key-root-rotation', 'key_versions', 'write');
