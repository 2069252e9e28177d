-- What each system task of job-service may touch (cs_grant_system_task, platform beforeMigrate.sql); anything else
-- it reads or writes PostgreSQL refuses with 42501. A write grant includes reading. The statements are in store/.

-- Worker: the claim (JobClaim) locks and starts due jobs, raises the slot counters within the tenants' caps, records
-- the attempts and writes their jobs.events rows.
CALL cs_grant_system_task('job-claim', 'jobs', 'write');
CALL cs_grant_system_task('job-claim', 'job_slots', 'write');
CALL cs_grant_system_task('job-claim', 'tenant_shares', 'read');
CALL cs_grant_system_task('job-claim', 'job_attempts', 'write');
CALL cs_grant_system_task('job-claim', 'cs_outbox', 'write');

-- Worker: ends of attempts (AttemptEnd): the job's next state, its slot back, the attempt recorded, its events.
CALL cs_grant_system_task('job-end', 'jobs', 'write');
CALL cs_grant_system_task('job-end', 'job_slots', 'write');
CALL cs_grant_system_task('job-end', 'job_attempts', 'write');
CALL cs_grant_system_task('job-end', 'cs_outbox', 'write');

-- Worker: heartbeats extend the leases of running jobs (LeaseHeartbeat).
CALL cs_grant_system_task('job-heartbeat', 'jobs', 'write');

-- Worker: the rescue locks jobs whose lease expired (ExpiredLeases) and ends their attempts as AttemptEnd does.
CALL cs_grant_system_task('job-rescue', 'jobs', 'write');
CALL cs_grant_system_task('job-rescue', 'job_slots', 'write');
CALL cs_grant_system_task('job-rescue', 'job_attempts', 'write');
CALL cs_grant_system_task('job-rescue', 'cs_outbox', 'write');

-- KafkaIntake: stores requested jobs of many tenants with their jobs.events rows (JobIntake).
CALL cs_grant_system_task('job-intake', 'jobs', 'write');
CALL cs_grant_system_task('job-intake', 'cs_outbox', 'write');

-- JobHousekeeping: deletes finished jobs past the retention (their attempts go by the foreign key's cascade, which
-- PostgreSQL runs as the table owner), and measures the queue lag, reading only.
CALL cs_grant_system_task('job-prune', 'jobs', 'write');
CALL cs_grant_system_task('job-queue-lag', 'jobs', 'read');

-- The operators' counts of every tenant's jobs (JobQueries), reading only.
CALL cs_grant_system_task('job-stats', 'jobs', 'read');

-- TenantShares: platform admins read and set a tenant's share.
CALL cs_grant_system_task('tenant-shares', 'tenant_shares', 'write');
