-- CloudSentinel platform: a Flyway callback that runs, as the owner role, after every migration; idempotent.
-- Serving processes run as cs_app with Flyway validating only (never migrating): they read the schema history to
-- refuse a schema older than they need, and may change nothing in it (the default privileges of beforeMigrate.sql
-- would otherwise give them writes on it, as on every table the owner creates).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM cs_app, cs_system;
GRANT SELECT ON flyway_schema_history TO cs_app;
REVOKE ALL ON flyway_schema_history FROM cs_system;
