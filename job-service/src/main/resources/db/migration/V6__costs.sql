-- FinOps data: tenants' cloud costs from FOCUS exports (costs/), each table the tenant's own (forced row-level
-- security). Amounts are exact numeric in the row's billing_currency, never converted or added across currencies.

-- A tenant's cost settings: the tag keys whose aggregates are kept (at most 10), the anomaly thresholds, how many
-- rejected rows an import may have and still replace its periods (0: one rejected row fails the import), and the
-- token budget of the cost summary that finops_analysis sends to the model. No row: the defaults below.
CREATE TABLE cost_settings (
    tenant_id                 uuid        PRIMARY KEY,
    tag_keys                  text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(tag_keys) <= 10),
    anomaly_min_impact        numeric     NOT NULL DEFAULT 100 CHECK (anomaly_min_impact >= 0),
    anomaly_threshold         numeric     NOT NULL DEFAULT 3.5 CHECK (anomaly_threshold > 0),
    max_rejected_rows         bigint      NOT NULL DEFAULT 0 CHECK (max_rejected_rows >= 0),
    analysis_max_input_tokens integer     CHECK (analysis_max_input_tokens > 0),
    updated_at                timestamptz NOT NULL
);
CALL cs_protect_tenant_table('cost_settings');

-- Where cost_ingestion fetches a tenant's FOCUS export: an https URL of a CSV file (plain or gzip) or of an AWS Data
-- Exports manifest naming several files. The URL is sealed by crypto-service (purpose cost_source_secret) since a
-- presigned or SAS URL is a credential; only its host is kept in the clear, for display. An optional header (name
-- in the clear, value sealed) authenticates the fetch.
CREATE TABLE cost_sources (
    tenant_id         uuid        NOT NULL,
    name              text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    url_ciphertext    text        NOT NULL CHECK (url_ciphertext LIKE 'cs:v%'),
    url_host          text        NOT NULL,
    manifest          boolean     NOT NULL DEFAULT false,
    header_name       text,
    header_ciphertext text        CHECK (header_ciphertext LIKE 'cs:v%'),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name),
    CHECK ((header_name IS NULL) = (header_ciphertext IS NULL))
);
CALL cs_protect_tenant_table('cost_sources');

-- One ingestion of one file (an upload, or a fetch by cost_ingestion) into a source's billing periods. It is written
-- 'running' in a transaction of its own before the file is read, so that it is visible while it loads; the rows and
-- the replacement commit together with 'succeeded', and a failure leaves the earlier data and says why.
CREATE TABLE cost_imports (
    tenant_id       uuid        NOT NULL,
    id              uuid        NOT NULL,
    source          text        NOT NULL,
    origin          text        NOT NULL CHECK (origin IN ('upload', 'fetch')),
    job_id          uuid,
    status          text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    rows_loaded     bigint      NOT NULL DEFAULT 0 CHECK (rows_loaded >= 0),
    rows_rejected   bigint      NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    bytes           bigint      NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    billing_periods timestamptz[] NOT NULL DEFAULT '{}',
    ignored_columns text[]      NOT NULL DEFAULT '{}',
    failure         text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK ((status = 'failed') = (failure IS NOT NULL)),
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CALL cs_protect_tenant_table('cost_imports');
CREATE INDEX cost_imports_listing_idx ON cost_imports (tenant_id, started_at DESC, id DESC);

-- The first rejected rows of an import (costs/FocusReader keeps at most 1,000; rows_rejected counts them all), by
-- file of the import (1 for an upload; a manifest's files in its order) and line in that file.
CREATE TABLE cost_import_rejections (
    tenant_id uuid    NOT NULL,
    import_id uuid    NOT NULL,
    file      integer NOT NULL CHECK (file >= 1),
    line      bigint  NOT NULL,
    reason    text    NOT NULL,
    PRIMARY KEY (tenant_id, import_id, file, line)
);
CALL cs_protect_tenant_table('cost_import_rejections');

-- The FOCUS rows themselves. The unit of replacement is (source, billing_period_start): a succeeded import deletes the
-- rows of the same source and periods that other imports loaded, in the transaction that loaded its own. Retention:
-- billing periods older than cs.jobs.costs.retention are deleted by the retention sweep, not partitioned (creating a
-- partition is DDL the app role may not run, and it would lock the table for every tenant during an upload).
-- charge_day is the UTC day ChargePeriodStart falls on: the day a charge counts for. file and line say where the row
-- was read (the file's place in its import, its physical line).
CREATE TABLE cost_rows (
    tenant_id            uuid        NOT NULL,
    source               text        NOT NULL,
    import_id            uuid        NOT NULL,
    file                 integer     NOT NULL CHECK (file >= 1),
    line                 bigint      NOT NULL,
    billing_period_start timestamptz NOT NULL,
    billing_period_end   timestamptz NOT NULL,
    charge_period_start  timestamptz NOT NULL,
    charge_period_end    timestamptz NOT NULL,
    charge_day           date        NOT NULL,
    charge_category      text        NOT NULL,
    billing_currency     text        NOT NULL,
    billed_cost          numeric     NOT NULL,
    effective_cost       numeric     NOT NULL,
    service_name         text        NOT NULL,
    service_category     text,
    provider_name        text,
    sub_account_id       text,
    region_id            text,
    resource_id          text,
    consumed_quantity    numeric,
    consumed_unit        text,
    tags                 jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, import_id, file, line)
);
CALL cs_protect_tenant_table('cost_rows');
-- The replacement deletes by source and period; the idle-resource scan reads the last days of a tenant.
CREATE INDEX cost_rows_period_idx ON cost_rows (tenant_id, source, billing_period_start);
CREATE INDEX cost_rows_day_idx ON cost_rows (tenant_id, charge_day);

-- Daily sums by currency and the summary's dimensions, rebuilt for the replaced (source, period)s in the import's
-- transaction: the summary and the anomaly detection read these, never the raw rows.
CREATE TABLE cost_daily (
    tenant_id            uuid        NOT NULL,
    source               text        NOT NULL,
    billing_period_start timestamptz NOT NULL,
    day                  date        NOT NULL,
    billing_currency     text        NOT NULL,
    charge_category      text        NOT NULL,
    service_name         text        NOT NULL,
    sub_account_id       text        NOT NULL DEFAULT '',
    region_id            text        NOT NULL DEFAULT '',
    billed_cost          numeric     NOT NULL,
    effective_cost       numeric     NOT NULL,
    row_count            bigint      NOT NULL,
    PRIMARY KEY (tenant_id, source, billing_period_start, day, billing_currency, charge_category, service_name,
                 sub_account_id, region_id)
);
CALL cs_protect_tenant_table('cost_daily');
CREATE INDEX cost_daily_day_idx ON cost_daily (tenant_id, day);
-- The retention sweep finds the periods that started before its cutoff, of every tenant.
CREATE INDEX cost_daily_period_idx ON cost_daily (billing_period_start, tenant_id, source);

-- The same sums by the value of each tag key the tenant declared (cost_settings.tag_keys); rows without the tag count
-- under the value ''.
CREATE TABLE cost_daily_tags (
    tenant_id            uuid        NOT NULL,
    source               text        NOT NULL,
    billing_period_start timestamptz NOT NULL,
    day                  date        NOT NULL,
    billing_currency     text        NOT NULL,
    tag_key              text        NOT NULL,
    tag_value            text        NOT NULL,
    billed_cost          numeric     NOT NULL,
    effective_cost       numeric     NOT NULL,
    PRIMARY KEY (tenant_id, source, billing_period_start, day, billing_currency, tag_key, tag_value)
);
CALL cs_protect_tenant_table('cost_daily_tags');
CREATE INDEX cost_daily_tags_day_idx ON cost_daily_tags (tenant_id, tag_key, day);

-- cost_anomaly_detection's findings: a day whose Usage cost of one (service, sub-account, region, currency) left its
-- trailing baseline. One row per series and day (series_key), so a run repeated finds nothing new to notify.
CREATE TABLE cost_anomalies (
    tenant_id        uuid        NOT NULL,
    id               uuid        NOT NULL,
    series_key       text        NOT NULL,
    day              date        NOT NULL,
    billing_currency text        NOT NULL,
    service_name     text        NOT NULL,
    sub_account_id   text        NOT NULL DEFAULT '',
    region_id        text        NOT NULL DEFAULT '',
    effective_cost   numeric     NOT NULL,
    baseline_median  numeric     NOT NULL,
    baseline_mad     numeric     NOT NULL,
    impact           numeric     NOT NULL,
    score            numeric     NOT NULL,
    detected_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, series_key, day)
);
CALL cs_protect_tenant_table('cost_anomalies');
CREATE INDEX cost_anomalies_listing_idx ON cost_anomalies (tenant_id, day DESC, id);

-- zombie_scan's findings: resources billed every day of the scanned window with no consumed quantity. Each scan
-- replaces the tenant's list.
CREATE TABLE cost_idle_resources (
    tenant_id        uuid        NOT NULL,
    resource_id      text        NOT NULL,
    billing_currency text        NOT NULL,
    service_name     text        NOT NULL,
    sub_account_id   text        NOT NULL DEFAULT '',
    region_id        text        NOT NULL DEFAULT '',
    days_billed      integer     NOT NULL,
    effective_cost   numeric     NOT NULL,
    first_day        date        NOT NULL,
    last_day         date        NOT NULL,
    detected_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, resource_id, billing_currency)
);
CALL cs_protect_tenant_table('cost_idle_resources');

-- The retention sweep (service/CostRetention) finds the expired periods of every tenant; each is deleted in its
-- tenant's own transaction.
CALL cs_grant_system_task('cost-retention', 'cost_daily', 'read');
