-- Tenant-first keys: every key of a tenant table leads with tenant_id, so the tables can be distributed or
-- partitioned by tenant without a schema change. Lookups by id alone keep working: row-level security adds
-- tenant_id = cs_current_tenant(), and the pair is the key.
ALTER TABLE budget_holds DROP CONSTRAINT budget_holds_pkey;
ALTER TABLE budget_holds ADD PRIMARY KEY (tenant_id, id);

ALTER TABLE budget_ledger DROP CONSTRAINT budget_ledger_pkey;
ALTER TABLE budget_ledger ADD PRIMARY KEY (tenant_id, id);
-- the primary key now serves what this index served (a tenant's ledger in id order)
DROP INDEX budget_ledger_tenant_idx;
