-- A tenant's webhook: where its notifications go, which event types it subscribed to, and its signing secrets,
-- sealed by crypto-service (purpose webhook_secret). Only ciphertexts of this suite are stored (the CHECKs refuse a
-- plaintext whsec_ secret). After a rotation the previous secret stays valid until previous_valid_until, so that
-- deliveries carry both signatures while the receiver switches.
CREATE TABLE webhook_settings (
    tenant_id                  uuid        PRIMARY KEY,
    url                        text        NOT NULL,
    events                     text[]      NOT NULL CHECK (cardinality(events) > 0),
    secret_ciphertext          text        NOT NULL CHECK (secret_ciphertext LIKE 'cs:v%'),
    previous_secret_ciphertext text        CHECK (previous_secret_ciphertext LIKE 'cs:v%'),
    previous_valid_until       timestamptz,
    rotated_at                 timestamptz,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    CHECK ((previous_secret_ciphertext IS NULL) = (previous_valid_until IS NULL))
);
CALL cs_protect_tenant_table('webhook_settings');

-- Notifications (service/Notifications) are jobs of their own source: queued by this service for an event, neither
-- requested through the API nor read from Kafka. Every existing row met the narrower check, so NOT VALID spares the
-- scan of the whole table under this migration's lock.
ALTER TABLE jobs DROP CONSTRAINT jobs_source_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_source_check CHECK (source IN ('kafka', 'api', 'event')) NOT VALID;

-- A job that dies notifies its tenant's webhook in the same transaction as its end (AttemptEnd): the ends of the
-- worker and of the rescue read which tenants subscribed to job.dead_lettered.
CALL cs_grant_system_task('job-end', 'webhook_settings', 'read');
CALL cs_grant_system_task('job-rescue', 'webhook_settings', 'read');
