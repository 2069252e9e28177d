-- budget-service schema. Money is integer micro-USD (bigint); time is timestamptz (UTC);
-- budget periods are dates in the tenant's time zone.

-- The price catalog is global (not tenant-owned): versioned and effective-dated per model.
CREATE TABLE model_prices (
    model                    text        NOT NULL,
    version                  integer     NOT NULL CHECK (version > 0),
    provider                 text        NOT NULL,
    input_micros_per_mtok    bigint      NOT NULL CHECK (input_micros_per_mtok >= 0),
    output_micros_per_mtok   bigint      NOT NULL CHECK (output_micros_per_mtok >= 0),
    effective_from           timestamptz NOT NULL,
    PRIMARY KEY (model, version)
);
GRANT SELECT ON model_prices TO cs_app, cs_system;
REVOKE INSERT, UPDATE, DELETE ON model_prices FROM cs_app, cs_system;

CREATE TABLE budgets (
    tenant_id            uuid        PRIMARY KEY,
    monthly_limit_micros bigint      NOT NULL CHECK (monthly_limit_micros >= 0),
    daily_limit_micros   bigint      CHECK (daily_limit_micros >= 0),
    soft_alert_percent   integer     NOT NULL DEFAULT 80 CHECK (soft_alert_percent BETWEEN 1 AND 100),
    mode                 text        NOT NULL DEFAULT 'HARD' CHECK (mode IN ('HARD', 'SOFT')),
    time_zone            text        NOT NULL DEFAULT 'UTC',
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CALL cs_protect_tenant_table('budgets');

-- One row per tenant, window and period: created on first use, so a new month or day needs no batch job.
CREATE TABLE budget_windows (
    tenant_id       uuid   NOT NULL,
    window_kind     text   NOT NULL CHECK (window_kind IN ('MONTH', 'DAY')),
    period_start    date   NOT NULL,
    spent_micros    bigint NOT NULL DEFAULT 0 CHECK (spent_micros >= 0),
    reserved_micros bigint NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
    PRIMARY KEY (tenant_id, window_kind, period_start)
);
CALL cs_protect_tenant_table('budget_windows');

CREATE TABLE budget_holds (
    id                  uuid        PRIMARY KEY,
    tenant_id           uuid        NOT NULL,
    idempotency_key     text        NOT NULL,
    model               text        NOT NULL,
    price_version       integer     NOT NULL,
    input_tokens        bigint      NOT NULL,
    max_output_tokens   bigint      NOT NULL,
    estimate_micros     bigint      NOT NULL CHECK (estimate_micros >= 0),
    month_start         date        NOT NULL,
    day_start           date,
    status              text        NOT NULL CHECK (status IN ('HELD', 'SETTLED', 'RELEASED', 'EXPIRED')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    settled_input_tokens  bigint,
    settled_output_tokens bigint,
    settled_cost_micros   bigint,
    UNIQUE (tenant_id, idempotency_key),
    FOREIGN KEY (model, price_version) REFERENCES model_prices (model, version)
);
CREATE INDEX budget_holds_expiry_idx ON budget_holds (expires_at) WHERE status = 'HELD';
CALL cs_protect_tenant_table('budget_holds');

-- Append-only: the truth. Window counters always equal the fold of these deltas.
CREATE TABLE budget_ledger (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    hold_id         uuid,
    entry_type      text        NOT NULL CHECK (entry_type IN ('HOLD', 'SETTLE', 'RELEASE', 'EXPIRE', 'ADJUST')),
    month_start     date        NOT NULL,
    day_start       date,
    reserved_delta  bigint      NOT NULL,
    spent_delta     bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_ledger_tenant_idx ON budget_ledger (tenant_id, id);
CALL cs_protect_tenant_table('budget_ledger');
REVOKE UPDATE, DELETE ON budget_ledger FROM cs_app, cs_system;
