-- A tenant table for the platform's own tests, made the way every service makes one.
CREATE TABLE notes (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL,
    body      text NOT NULL
);
CREATE INDEX notes_tenant_idx ON notes (tenant_id);
CALL cs_protect_tenant_table('notes');
