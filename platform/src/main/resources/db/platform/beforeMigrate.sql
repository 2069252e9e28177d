-- CloudSentinel platform: the tenant-isolation building blocks every service schema uses.
-- A Flyway callback: it runs, as the owner role, before every migration and is idempotent, so each
-- service always has the current version. Services list "db/platform" in quarkus.flyway.locations.

-- What the roles may do with what the owner creates: rows, never schema. CREATE on public is revoked explicitly:
-- PostgreSQL 15+ no longer grants it to PUBLIC, but a database made by an older one (or by hand) may still do so.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM cs_app, cs_system;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cs_app, cs_system;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cs_app, cs_system;

-- The tenant of the current transaction. RAISES with SQLSTATE CS001 when app.tenant_id is missing or empty,
-- so a query without tenant context fails loudly instead of returning zero rows. The only exception is the
-- named system path: role cs_system with app.system_task set gets NULL (the task's grants then decide, see below).
-- STABLE: the planner evaluates it while planning (cs_app always plans afresh, see the bootstrap script), so
-- the check runs even for a statement that would match no row.
CREATE OR REPLACE FUNCTION cs_current_tenant() RETURNS uuid
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    tenant text := current_setting('app.tenant_id', true);
BEGIN
    IF tenant IS NOT NULL AND tenant <> '' THEN
        RETURN tenant::uuid;
    END IF;
    IF current_user = 'cs_system' AND coalesce(current_setting('app.system_task', true), '') <> '' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'tenant context missing: app.tenant_id is not set in this transaction'
        USING ERRCODE = 'CS001',
              HINT = 'Run tenant work through TenantTransactions.inTenant, which sets it on the same connection.';
END
$$;

-- The named system task of the current transaction, or NULL.
CREATE OR REPLACE FUNCTION cs_system_task() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('app.system_task', true), '') $$;

-- What each named system task may do, table by table: 'read' (SELECT) or 'write' (INSERT, UPDATE, DELETE, and read).
-- Migrations declare it (CALL cs_grant_system_task below); the policies of every tenant table check it. Only the owner
-- writes it: the default privileges above would give cs_app and cs_system writes, so they are taken back, and cs_system
-- may only read it (the check runs as the caller), so that no task can grant itself anything.
CREATE TABLE IF NOT EXISTS cs_system_task_grants (
    task       text NOT NULL CHECK (task ~ '^[a-z][a-z0-9-]{0,62}$'),
    table_name text NOT NULL,
    access     text NOT NULL CHECK (access IN ('read', 'write')),
    PRIMARY KEY (task, table_name)
);
REVOKE ALL ON cs_system_task_grants FROM PUBLIC, cs_app, cs_system;
GRANT SELECT ON cs_system_task_grants TO cs_system;

-- Declares what a system task needs, in the migration that makes (or first uses) the table; idempotent, the last
-- call for a (task, table) wins:  CALL cs_grant_system_task('hold-reaper', 'budget_holds', 'write');
-- The table is named by its relation name (every CloudSentinel table is in public); regclass refuses a typo.
CREATE OR REPLACE PROCEDURE cs_grant_system_task(task text, target regclass, access text)
    LANGUAGE sql
AS $$
INSERT INTO public.cs_system_task_grants (task, table_name, access)
SELECT task, c.relname, access FROM pg_class c WHERE c.oid = target
    ON CONFLICT ON CONSTRAINT cs_system_task_grants_pkey DO UPDATE SET access = excluded.access
$$;
REVOKE EXECUTE ON PROCEDURE cs_grant_system_task(text, regclass, text) FROM PUBLIC;

-- Whether the current system task may read or write the table: true, or RAISES with SQLSTATE 42501 naming the task,
-- the table and the access, so that a task missing a grant fails loudly instead of seeing zero rows. A write grant
-- implies read. The policies call it as (SELECT cs_system_task_allows(...)): an InitPlan, once per statement, not per
-- row. The grants table is named with its schema: cs_app may create temporary tables, and pg_temp comes first in the
-- search path for tables, so an unqualified name could be shadowed by a table of the caller's own.
CREATE OR REPLACE FUNCTION cs_system_task_allows(target text, needed text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    current_task text := public.cs_system_task();
BEGIN
    IF EXISTS (SELECT FROM public.cs_system_task_grants g
                WHERE g.task = current_task AND g.table_name = target
                  AND (g.access = needed OR g.access = 'write')) THEN
        RETURN true;
    END IF;
    RAISE EXCEPTION 'system task % has no % grant on %', coalesce(current_task, '(none)'), needed, target
        USING ERRCODE = '42501',
              HINT = format('Declare it in a migration: CALL cs_grant_system_task(%L, %L, %L).',
                            current_task, target, needed);
END
$$;

-- Puts a tenant table under row-level security, the one way every migration does it:
--   CALL cs_protect_tenant_table('budget_holds');
-- ENABLE and FORCE (the owner is bound too), one policy for all commands that compares tenant_id with the
-- transaction's tenant in USING and WITH CHECK, and for role cs_system only the named task's grants: reading needs
-- read, each writing command write. One policy per command, so that a read-only task's SELECT never meets the write
-- check (PostgreSQL adds the SELECT policies to an UPDATE or DELETE that reads, never the other way round).
CREATE OR REPLACE PROCEDURE cs_protect_tenant_table(target regclass)
    LANGUAGE plpgsql
AS $$
DECLARE
    may_read  text;
    may_write text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_attribute
                    WHERE attrelid = target AND attname = 'tenant_id' AND atttypid = 'uuid'::regtype
                      AND attnotnull AND NOT attisdropped) THEN
        RAISE EXCEPTION '% needs a column tenant_id uuid NOT NULL to be a tenant table', target;
    END IF;
    SELECT format('(SELECT cs_system_task_allows(%L, %L))', relname, 'read'),
           format('(SELECT cs_system_task_allows(%L, %L))', relname, 'write')
      INTO may_read, may_write
      FROM pg_class WHERE oid = target;
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', target);
    EXECUTE format('CREATE POLICY tenant_isolation ON %s FOR ALL TO PUBLIC'
                   ' USING (tenant_id = cs_current_tenant()) WITH CHECK (tenant_id = cs_current_tenant())', target);
    -- the single policy of earlier versions, which let any named task read and write every row
    EXECUTE format('DROP POLICY IF EXISTS system_task_access ON %s', target);
    EXECUTE format('DROP POLICY IF EXISTS system_task_read ON %s', target);
    EXECUTE format('CREATE POLICY system_task_read ON %s FOR SELECT TO cs_system USING (%s)', target, may_read);
    EXECUTE format('DROP POLICY IF EXISTS system_task_insert ON %s', target);
    EXECUTE format('CREATE POLICY system_task_insert ON %s FOR INSERT TO cs_system WITH CHECK (%s)', target, may_write);
    EXECUTE format('DROP POLICY IF EXISTS system_task_update ON %s', target);
    EXECUTE format('CREATE POLICY system_task_update ON %s FOR UPDATE TO cs_system USING (%s) WITH CHECK (%s)', target,
                   may_write, may_write);
    EXECUTE format('DROP POLICY IF EXISTS system_task_delete ON %s', target);
    EXECUTE format('CREATE POLICY system_task_delete ON %s FOR DELETE TO cs_system USING (%s)', target, may_write);
END
$$;

-- Tables that have a tenant_id column but are not under forced row-level security: a service test asserts
-- that this is empty, so a table that forgot cs_protect_tenant_table cannot ship.
CREATE OR REPLACE VIEW cs_unprotected_tenant_tables AS
SELECT c.oid::regclass AS table_name
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
   AND NOT (c.relrowsecurity AND c.relforcerowsecurity
            AND EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'));

-- Unique keys (primary keys included) of tenant tables that do not lead with tenant_id: a service test asserts that
-- this is empty, so that every tenant table can be distributed or partitioned by tenant without a schema change.
-- cs_outbox is left out: its identity orders the events the relay claims across tenants.
CREATE OR REPLACE VIEW cs_tenant_keys_not_tenant_first AS
SELECT i.indexrelid::regclass AS key_name, i.indrelid::regclass AS table_name
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE i.indisunique
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND c.relname <> 'cs_outbox'
   AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
   AND (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0])
       IS DISTINCT FROM 'tenant_id';

-- The transactional outbox: a service writes its events here in the same transaction as the business rows;
-- OutboxRelay publishes them to Kafka and deletes them once the broker acknowledged. Tenant-owned like any table:
-- written inside the tenant's transaction, relayed through the audited system path.
CREATE TABLE IF NOT EXISTS cs_outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    headers     jsonb       NOT NULL DEFAULT '{}',
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX IF NOT EXISTS cs_outbox_key_order_idx ON cs_outbox (topic, record_key, id);
-- A row the broker refused for good (or too often) is parked: set aside with its error, and its key's later rows wait
-- behind it (per-key order), while every other key flows.
ALTER TABLE cs_outbox ADD COLUMN IF NOT EXISTS parked_at timestamptz;
CREATE INDEX IF NOT EXISTS cs_outbox_parked_idx ON cs_outbox (topic, record_key, id) WHERE parked_at IS NOT NULL;
-- The trace the event belongs to (W3C traceparent, tracestate): the relay's producer span continues it. Filled from
-- the transaction's settings, which TenantTransactions sets when the work runs inside a span, so every insert —
-- OutboxWriter's and the services' set-based ones — carries it without naming it. NULL: no trace.
ALTER TABLE cs_outbox ADD COLUMN IF NOT EXISTS trace_parent text
    DEFAULT nullif(current_setting('app.trace_parent', true), '');
ALTER TABLE cs_outbox ADD COLUMN IF NOT EXISTS trace_state text
    DEFAULT nullif(current_setting('app.trace_state', true), '');
CALL cs_protect_tenant_table('cs_outbox');
-- The platform's own tasks: the relay claims, deletes and parks rows; operators list, resend and discard parked ones.
CALL cs_grant_system_task('outbox-relay', 'cs_outbox', 'write');
CALL cs_grant_system_task('outbox-parked', 'cs_outbox', 'write');

-- A database protected by an earlier version still has the single system_task_access policy (any named task could
-- read and write every row): its tenant tables get the current policies. Only those, and once: re-creating a policy
-- locks its table, and this runs before every migration while the serving release is live.
DO $$
DECLARE
    outdated regclass;
BEGIN
    FOR outdated IN SELECT c.oid::regclass FROM pg_class c
                     WHERE EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
                       AND (EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'system_task_access')
                            OR (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname IN
                                ('system_task_read', 'system_task_insert', 'system_task_update', 'system_task_delete'))
                               < 4)
    LOOP
        CALL cs_protect_tenant_table(outdated);
    END LOOP;
END
$$;
