#!/usr/bin/env bash
# Emissions per second over 100,000 due tenants with one and with three sweepers, each on its own connection pool:
# into the outbox, from the outbox to Kafka, and both at once end to end. Real PostgreSQL and Kafka as in the tests
# (embedded unless CS_TEST_POSTGRES_URL / CS_TEST_KAFKA_BOOTSTRAP_SERVERS name others). Prints a table, asserts
# nothing. About 2 minutes. BENCH_TENANTS changes the number of tenants,
# BENCH_BATCH the sweep's batch size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="scheduler-service/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl scheduler-service -am \
    && ./mvnw -B -q test -pl scheduler-service -Dtest=SweepBenchmark -DexcludedGroups= -Dgroups=benchmark \
         -Dbench.tenants="${BENCH_TENANTS:-100000}" -Dbench.batch="${BENCH_BATCH:-2500}"; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat scheduler-service/target/benchmark/sweep.txt
