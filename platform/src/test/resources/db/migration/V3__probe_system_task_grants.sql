-- The probe's system tasks, granted as a service grants its own: the tests' readers, and the two that
-- SystemTaskGrantsTest holds to their grants (probe-reader may only read notes, probe-writer only write them).
CALL cs_grant_system_task('test-sweep', 'notes', 'read');
CALL cs_grant_system_task('outbox-test', 'cs_outbox', 'read');
CALL cs_grant_system_task('probe-reader', 'notes', 'read');
CALL cs_grant_system_task('probe-writer', 'notes', 'write');
