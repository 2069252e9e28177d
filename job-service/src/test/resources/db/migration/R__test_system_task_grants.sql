-- Tests only (src/test/resources, never in the jar): the tests' own system tasks, which set up and check rows of
-- every table across tenants (Db.system(), JobTransitionsTest, Claimers). handler_marks, the test handlers' table,
-- is created later by Db.createMarks(), which grants it there.
CALL cs_grant_system_task('jobs-test', 'jobs', 'write');
CALL cs_grant_system_task('jobs-test', 'job_attempts', 'write');
CALL cs_grant_system_task('jobs-test', 'job_slots', 'write');
CALL cs_grant_system_task('jobs-test', 'tenant_shares', 'write');
CALL cs_grant_system_task('jobs-test', 'cs_outbox', 'write');
-- Claimers runs the worker's claim and end statements under a name of its own: what job-claim and job-end may.
CALL cs_grant_system_task('jobs-test-claimer', 'jobs', 'write');
CALL cs_grant_system_task('jobs-test-claimer', 'job_slots', 'write');
CALL cs_grant_system_task('jobs-test-claimer', 'tenant_shares', 'read');
CALL cs_grant_system_task('jobs-test-claimer', 'job_attempts', 'write');
CALL cs_grant_system_task('jobs-test-claimer', 'cs_outbox', 'write');
-- the cost tests read and plant cost data of any tenant
CALL cs_grant_system_task('jobs-test', 'cost_rows', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_daily', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_daily_tags', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_imports', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_import_rejections', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_settings', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_sources', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_anomalies', 'write');
CALL cs_grant_system_task('jobs-test', 'cost_idle_resources', 'write');
