-- CloudSentinel bootstrap: the roles and databases every environment starts from.
--
-- Run it as a superuser (or a role with CREATEROLE and CREATEDB) on the maintenance database:
--   psql -v owner_password=... -v app_password=... \
--        -v databases=cloudsentinel_budget,cloudsentinel_jobs -f cloudsentinel-bootstrap.sql
-- The Java runner (io.cloudsentinel.bootstrap.DatabaseBootstrap) understands the same psql subset:
-- :'variable' literals and \gexec. Test resources, the local launcher and the Helm chart all run it.
-- It is idempotent: a second run only re-asserts attributes, passwords and grants.

-- cs_owner owns the databases and everything Flyway creates in them. Services never connect as it.
SELECT 'CREATE ROLE cs_owner' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cs_owner')\gexec
ALTER ROLE cs_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';

-- cs_app is what services connect as: it can read and write rows, never bypass row-level security,
-- never change the schema. Its sessions plan every statement afresh (force_custom_plan), so that the
-- tenant check of every policy runs while planning: a statement without tenant context raises even
-- when it would match no row, also for prepared statements that would otherwise get a generic plan.
SELECT 'CREATE ROLE cs_app' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cs_app')\gexec
ALTER ROLE cs_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT
    PASSWORD :'app_password';
ALTER ROLE cs_app SET plan_cache_mode = force_custom_plan;

-- cs_system is the named path for work across tenants (reapers, sweeps). It cannot log in and cannot bypass
-- row-level security: cs_app switches to it for one transaction (SET LOCAL ROLE) and must name the task in
-- app.system_task; the policies of every tenant table let it read or write what that task was granted (the
-- platform's cs_system_task_grants). NOINHERIT on cs_app means the membership gives nothing until that explicit switch.
SELECT 'CREATE ROLE cs_system' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cs_system')\gexec
ALTER ROLE cs_system WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
GRANT cs_system TO cs_app;

-- One database per service, owned by cs_owner. PostgreSQL 15+ gives the public schema to the database
-- owner, so only cs_owner can create objects in it.
SELECT format('CREATE DATABASE %I OWNER cs_owner ENCODING ''UTF8''', name)
  FROM unnest(string_to_array(:'databases', ',')) AS name
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = name)\gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', name),
       format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO cs_app', name),
       format('ALTER DATABASE %I OWNER TO cs_owner', name)
  FROM unnest(string_to_array(:'databases', ',')) AS name\gexec
