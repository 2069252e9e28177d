-- job-service: the queue and state machine of tenants' background jobs, their attempts, and each tenant's share.

-- One row per job. The state machine (every transition one conditional UPDATE, see store/):
--   PENDING -> RUNNING -> COMPLETED | RETRY_SCHEDULED -> RUNNING ... | DEAD_LETTER | CANCELLED
-- lease_token fences an attempt: every write of the attempt is conditional on it, so a worker that lost its lease
-- changes nothing. lease_expires_at is extended by heartbeats, never past deadline_at (start + the type's timeout +
-- grace): a dead worker's job and an overrunning one are both rescued, whatever the worker still believes. dedup_key makes a redelivered or duplicated request one job.
CREATE TABLE jobs (
    tenant_id        uuid        NOT NULL,
    id               uuid        NOT NULL,
    job_type         text        NOT NULL,
    dedup_key        text        NOT NULL,
    request_hash     text        NOT NULL,
    source           text        NOT NULL CHECK (source IN ('kafka', 'api')),
    payload          jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'RETRY_SCHEDULED',
                                                           'DEAD_LETTER', 'CANCELLED')),
    priority         integer     NOT NULL DEFAULT 0,
    run_at           timestamptz NOT NULL,
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL CHECK (max_attempts > 0),
    lease_token      uuid,
    lease_expires_at timestamptz,
    deadline_at      timestamptz,
    worker           text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    last_error       text,
    dead_reason      text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, dedup_key),
    CHECK ((state = 'RUNNING') = (lease_token IS NOT NULL))
);
CALL cs_protect_tenant_table('jobs');
-- The claim walks (tenant, type) groups of waiting jobs, in priority then due order inside each.
CREATE INDEX jobs_waiting_idx ON jobs (tenant_id, job_type, priority DESC, run_at)
    WHERE state IN ('PENDING', 'RETRY_SCHEDULED');
-- The rescuer finds expired leases; the lag metric the oldest due job.
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('PENDING', 'RETRY_SCHEDULED');
-- The API lists a tenant's jobs newest first, keyset by (created_at, id); pruning finds finished ones.
CREATE INDEX jobs_listing_idx ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- One row per attempt, kept with the job: its history through retries and replays.
CREATE TABLE job_attempts (
    tenant_id       uuid        NOT NULL,
    job_id          uuid        NOT NULL,
    attempt         integer     NOT NULL,
    lease_token     uuid        NOT NULL,
    worker          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    outcome         text        CHECK (outcome IN ('COMPLETED', 'FAILED', 'TIMED_OUT', 'FATAL', 'LEASE_EXPIRED',
                                                   'CANCELLED', 'RELEASED')),
    error           text,
    exception_class text,
    PRIMARY KEY (tenant_id, job_id, attempt),
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id) ON DELETE CASCADE
);
CALL cs_protect_tenant_table('job_attempts');

-- Slots in use per tenant and job type: the claim raises running only while it stays within the cap, in the same
-- statement that starts the jobs, and every end of an attempt lowers it once (conditional on the lease token).
CREATE TABLE job_slots (
    tenant_id uuid    NOT NULL,
    job_type  text    NOT NULL,
    running   integer NOT NULL DEFAULT 0 CHECK (running >= 0),
    PRIMARY KEY (tenant_id, job_type)
);
CALL cs_protect_tenant_table('job_slots');

-- A tenant's share, set by platform admins: its weight among waiting tenants and its cap per job type. A tenant
-- without a row has weight 1 and the configured default cap.
CREATE TABLE tenant_shares (
    tenant_id  uuid        PRIMARY KEY,
    weight     integer     NOT NULL CHECK (weight BETWEEN 1 AND 1000),
    cap        integer     NOT NULL CHECK (cap BETWEEN 1 AND 1000),
    updated_at timestamptz NOT NULL
);
CALL cs_protect_tenant_table('tenant_shares');

-- The jobs.events value of a state change: one definition for every statement that changes a state.
CREATE FUNCTION cs_job_event(tenant uuid, job uuid, job_type text, state text, attempt integer,
                             at timestamptz, reason text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT json_build_object('schemaVersion', 1, 'tenantId', tenant, 'jobId', job, 'jobType', job_type, 'state', state,
                         'attempt', attempt, 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                         'reason', reason)::text
$$;

-- The outbox headers of an event: the tenant and a fresh event id (consumers deduplicate by it).
CREATE FUNCTION cs_event_headers(tenant uuid) RETURNS jsonb
    LANGUAGE sql VOLATILE
AS $$ SELECT jsonb_build_object('tenant-id', tenant::text, 'event-id', gen_random_uuid()::text) $$;

-- The jobs.dlq value of a dead job: what it was, why it died, how often it ran.
CREATE FUNCTION cs_job_dead_letter(tenant uuid, job uuid, job_type text, attempt integer, reason text, error text,
                                   exception_class text, payload jsonb, at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT json_build_object('schemaVersion', 1, 'tenantId', tenant, 'jobId', job, 'jobType', job_type,
                         'attempts', attempt, 'reason', reason, 'error', error, 'exceptionClass', exception_class,
                         'payload', payload,
                         'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text
$$;

-- The outbox headers of a dead job's record: SmallRye's dead-letter names, so that one consumer reads both kinds.
CREATE FUNCTION cs_dead_letter_headers(tenant uuid, job uuid, job_type text, attempt integer, reason text,
                                       error text, exception_class text) RETURNS jsonb
    LANGUAGE sql VOLATILE
AS $$
SELECT cs_event_headers(tenant) || jsonb_build_object('cs-dlq-reason', reason,
                                                      'dead-letter-reason', coalesce(error, reason),
                                                      'dead-letter-exception-class-name', coalesce(exception_class, ''),
                                                      'job-id', job::text, 'job-type', job_type,
                                                      'attempt', attempt::text)
$$;
