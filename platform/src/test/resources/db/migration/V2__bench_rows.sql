-- For the tenant-transaction benchmark only: the same shape as notes, without row-level security, so that the
-- benchmark can price what isolation adds. Its owner column is deliberately not called tenant_id.
CREATE TABLE bench_rows (
    id    bigint PRIMARY KEY,
    owner uuid NOT NULL,
    body  text NOT NULL
);
