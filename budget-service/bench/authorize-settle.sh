#!/usr/bin/env bash
# Authorize+settle pairs over HTTP against the packaged budget-service (1,000 tenants, one hot tenant, and a fixed
# 1,000 requests/s), then the same statements straight into PostgreSQL over PgJDBC as the physical limit, and again
# through pgbench as a cross-check when pgbench is on the PATH (Debian's postgresql-client; not needed).
# Prints a table; asserts nothing about the figures, but a round that measured nothing (no 2xx answer, no
# transaction) fails the run with its name (exit 1). About 5 minutes (one more with pgbench); only a JDK needed.
# Knobs (CS_BENCH_QUICK, CS_BENCH_MEASURE_SECONDS, ...): see budget-service/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="budget-service/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl budget-service -am \
    && ./mvnw -B -q verify -pl budget-service -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
         -Dit.test=AuthorizeSettleBenchmarkIT -DexcludedGroups= -Dgroups=benchmark; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat budget-service/target/benchmark/authorize-settle.txt
