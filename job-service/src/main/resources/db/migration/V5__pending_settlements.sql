-- finops_analysis: settlements budget-service could not take (unreachable, failing or slow past BudgetCalls' retries),
-- kept so that real spend is not dropped when budget-service's reaper expires the hold. One row per hold, written by
-- the model call (analysis/ModelCall) in a tenant transaction; service/PendingSettlementRetry sends it again
-- (budget-service's settle is idempotent per hold and charges also after the hold expired or was released) and
-- deletes it once settled, or once budget-service no longer knows the hold (404). next_attempt_at is both the backoff
-- and the lease of a replica that claimed the row.
CREATE TABLE pending_settlements (
    tenant_id       uuid        NOT NULL,
    hold_id         uuid        NOT NULL,
    job_id          uuid        NOT NULL,
    input_tokens    bigint      NOT NULL CHECK (input_tokens >= 0),
    output_tokens   bigint      NOT NULL CHECK (output_tokens >= 0),
    estimated       boolean     NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, hold_id)
);
CALL cs_protect_tenant_table('pending_settlements');
-- The sweep claims due rows of every tenant, oldest due first.
CREATE INDEX pending_settlements_due_idx ON pending_settlements (next_attempt_at);

-- PendingSettlementRetry: claims due rows across tenants (FOR UPDATE SKIP LOCKED) and counts them for the gauge; the
-- settled, unknown and rescheduled rows are then written in each row's own tenant transaction.
CALL cs_grant_system_task('settlement-retry', 'pending_settlements', 'write');
