-- scheduler-service: tenants by activity, one schedule per (tenant, job type), one emission per slot.

-- A tenant as the scheduler knows it. last_activity_at only ever moves forward (see ActivityRecorder); the tier
-- column is the tier as of the last activity or housekeeping pass, the sweep recomputes it from last_activity_at.
CREATE TABLE tenants (
    tenant_id        uuid        PRIMARY KEY,
    tier             text        NOT NULL CHECK (tier IN ('ACTIVE', 'NORMAL', 'DORMANT')),
    last_activity_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CALL cs_protect_tenant_table('tenants');

-- One row per tenant and job type. next_run_at is the start of the next slot to emit; the sweep claims rows whose
-- next_run_at has come. interval_override_secs replaces the tier's interval; tenant_configured marks a schedule a
-- tenant admin set explicitly, which is emitted whatever its tier lists.
CREATE TABLE schedules (
    tenant_id              uuid        NOT NULL REFERENCES tenants (tenant_id),
    job_type               text        NOT NULL,
    enabled                boolean     NOT NULL DEFAULT true,
    interval_override_secs integer     CHECK (interval_override_secs > 0),
    tenant_configured      boolean     NOT NULL DEFAULT false,
    next_run_at            timestamptz NOT NULL,
    last_slot_start        timestamptz,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, job_type)
);
CALL cs_protect_tenant_table('schedules');
-- The sweep's claim: the oldest due enabled rows first.
CREATE INDEX schedules_due_idx ON schedules (next_run_at) WHERE enabled;

-- What was emitted. The primary key is the exactly-once guard: a slot of a tenant's job type is emitted once,
-- whichever replica claims it and however often a batch is retried.
CREATE TABLE emissions (
    tenant_id  uuid        NOT NULL,
    job_type   text        NOT NULL,
    slot_start timestamptz NOT NULL,
    job_id     uuid        NOT NULL UNIQUE,
    emitted_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, job_type, slot_start)
);
CALL cs_protect_tenant_table('emissions');
CREATE INDEX emissions_emitted_at_idx ON emissions (emitted_at);

-- Runs a tenant admin asked for outside the schedule; the idempotency key makes a retried request one run.
CREATE TABLE manual_runs (
    tenant_id       uuid        NOT NULL,
    job_type        text        NOT NULL,
    idempotency_key text        NOT NULL,
    job_id          uuid        NOT NULL UNIQUE,
    requested_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CALL cs_protect_tenant_table('manual_runs');

-- The stable per-tenant offset inside any interval: the tenant id's first 32 bits (random in a v4 UUID) modulo
-- the interval, so 100,000 tenants spread over the interval instead of firing at the same second. Written out
-- rather than hashtext() so that it never changes with a PostgreSQL version; ScheduleSlot mirrors it in Java.
CREATE FUNCTION cs_slot_offset(tenant uuid, every_secs bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ('x' || left(replace(tenant::text, '-', ''), 8))::bit(32)::bigint % every_secs $$;

-- The start of the tenant's slot that contains the instant: time floored to the interval, shifted by the offset.
CREATE FUNCTION cs_slot_start(tenant uuid, every_secs bigint, at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT to_timestamp((floor((floor(extract(epoch FROM at)) - cs_slot_offset(tenant, every_secs)) / every_secs)
                     * every_secs + cs_slot_offset(tenant, every_secs))::double precision)
$$;

-- ISO-8601 in UTC with second precision, the format of dedup keys: 2026-11-22T01:00:00Z.
CREATE FUNCTION cs_iso_instant(at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
