-- What each system task of scheduler-service may touch (cs_grant_system_task, platform beforeMigrate.sql); anything
-- else it reads or writes PostgreSQL refuses with 42501. A write grant includes reading. The statements are in store/.

-- Sweeper: the batch (SweepBatch) claims due schedules FOR UPDATE SKIP LOCKED and moves them on, reads their
-- tenants' activity for the tier, inserts the emissions and their jobs.requested outbox rows; the lag (DueSchedules)
-- reads the schedules.
CALL cs_grant_system_task('schedule-sweep', 'schedules', 'write');
CALL cs_grant_system_task('schedule-sweep', 'tenants', 'read');
CALL cs_grant_system_task('schedule-sweep', 'emissions', 'write');
CALL cs_grant_system_task('schedule-sweep', 'cs_outbox', 'write');

-- Housekeeping (RetentionPrune): deletes emissions and manual runs older than the retention.
CALL cs_grant_system_task('schedule-housekeeping', 'emissions', 'write');
CALL cs_grant_system_task('schedule-housekeeping', 'manual_runs', 'write');

-- The operators' statistics (DueSchedules, EmissionTotals), reading only.
CALL cs_grant_system_task('schedule-stats', 'schedules', 'read');
CALL cs_grant_system_task('schedule-stats', 'emissions', 'read');
CALL cs_grant_system_task('schedule-stats', 'cs_outbox', 'read');
CALL cs_grant_system_task('schedule-stats', 'tenants', 'read');
