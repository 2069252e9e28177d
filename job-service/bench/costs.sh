#!/usr/bin/env bash
# FOCUS ingestion: a generated file of 1,000,000 rows (CS_BENCH_COST_ROWS) loaded by the service's own import
# (Jackson CSV, checks, INSERT ... unnest batches in one tenant transaction, period replacement, daily aggregates):
# rows/s and the heap it keeps, against a tenth of the file (flat heap or not), and as the limit COPY of the same rows
# into the same table through PgJDBC's CopyManager. Real PostgreSQL as in the tests (embedded unless
# CS_TEST_POSTGRES_URL names another). Prints a table; about 2 minutes; only a JDK needed. CS_BENCH_QUICK=1: 100,000.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="job-service/target/benchmark/costs-build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl job-service -am \
    && ./mvnw -B -q verify -pl job-service -Dtest=CostsBenchmark -DexcludedGroups= -Dgroups=benchmark \
         -Dsurefire.failIfNoSpecifiedTests=false -DskipITs; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat job-service/target/benchmark/costs.txt
