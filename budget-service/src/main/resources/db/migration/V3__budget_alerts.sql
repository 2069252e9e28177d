-- One row per tenant, window period and threshold that has been announced on budget.alerts: the primary key makes
-- "once per window per threshold" a constraint, not a hope.
CREATE TABLE budget_alert_marks (
    tenant_id    uuid        NOT NULL,
    window_kind  text        NOT NULL CHECK (window_kind IN ('MONTH', 'DAY')),
    period_start date        NOT NULL,
    threshold    text        NOT NULL CHECK (threshold IN ('SOFT_THRESHOLD', 'EXHAUSTED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, window_kind, period_start, threshold)
);
CALL cs_protect_tenant_table('budget_alert_marks');
