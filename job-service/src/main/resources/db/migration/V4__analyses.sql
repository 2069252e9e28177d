-- finops_analysis: each analysed job's result, the tenant's own (forced row-level security). One row per job: a
-- completed analysis with the model, the tokens and cost its hold was settled at (usage_estimated when the provider
-- reported no usage and the hold's worst case was charged) and the schema-checked answer; or a skipped one with its
-- reason (no_cost_data, no_budget, no_llm_credentials). Kept when the job is pruned: it is the tenant's history.
CREATE TABLE analyses (
    tenant_id       uuid        NOT NULL,
    job_id          uuid        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('completed', 'skipped')),
    reason          text,
    provider        text,
    model           text,
    input_tokens    bigint      CHECK (input_tokens >= 0),
    output_tokens   bigint      CHECK (output_tokens >= 0),
    cost_micros     bigint      CHECK (cost_micros >= 0),
    hold_id         uuid,
    usage_estimated boolean     NOT NULL DEFAULT false,
    result          jsonb,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, job_id),
    CHECK ((status = 'skipped') = (reason IS NOT NULL)),
    CHECK ((status = 'completed') = (result IS NOT NULL AND model IS NOT NULL AND hold_id IS NOT NULL))
);
CALL cs_protect_tenant_table('analyses');
-- The API lists a tenant's analyses newest first, keyset by (created_at, job_id).
CREATE INDEX analyses_listing_idx ON analyses (tenant_id, created_at DESC, job_id DESC);
