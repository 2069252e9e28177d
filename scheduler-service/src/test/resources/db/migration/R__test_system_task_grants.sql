-- Tests only (src/test/resources, never in the jar): the tests' own system task, which sets up and checks rows of
-- every table across tenants (Db.system()).
CALL cs_grant_system_task('scheduler-test', 'tenants', 'write');
CALL cs_grant_system_task('scheduler-test', 'schedules', 'write');
CALL cs_grant_system_task('scheduler-test', 'emissions', 'write');
CALL cs_grant_system_task('scheduler-test', 'manual_runs', 'write');
CALL cs_grant_system_task('scheduler-test', 'cs_outbox', 'write');
