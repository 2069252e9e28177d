-- What each system task of budget-service may touch (cs_grant_system_task, platform beforeMigrate.sql); anything
-- else it reads or writes PostgreSQL refuses with 42501. A write grant includes reading.

-- HoldReaper: marks due holds EXPIRED (claimed FOR UPDATE SKIP LOCKED), appends their EXPIRE entries, frees the
-- windows' reservations.
CALL cs_grant_system_task('hold-reaper', 'budget_holds', 'write');
CALL cs_grant_system_task('hold-reaper', 'budget_ledger', 'write');
CALL cs_grant_system_task('hold-reaper', 'budget_windows', 'write');

-- The operators' ledger check: folds the ledger and compares it with the window counters, reading only.
CALL cs_grant_system_task('ledger-check', 'budget_ledger', 'read');
CALL cs_grant_system_task('ledger-check', 'budget_windows', 'read');
