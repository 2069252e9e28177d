-- Tenant-first keys: a job id is unique within its tenant, so the tables can be distributed or partitioned by
-- tenant without a schema change (job ids are random UUIDs; uniqueness across tenants was never a rule).
ALTER TABLE emissions DROP CONSTRAINT emissions_job_id_key;
ALTER TABLE emissions ADD UNIQUE (tenant_id, job_id);

ALTER TABLE manual_runs DROP CONSTRAINT manual_runs_job_id_key;
ALTER TABLE manual_runs ADD UNIQUE (tenant_id, job_id);
