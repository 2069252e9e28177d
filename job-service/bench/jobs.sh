#!/usr/bin/env bash
# No-op jobs end to end (published to jobs.requested -> COMPLETED, with their COMPLETED event read back from
# jobs.events) with one and two worker replicas; the timeout overshoot of 1,000 jobs that sleep past a 200 ms timeout;
# claim-to-start latency at a paced rate; and the same intake, claim and end statements straight into PostgreSQL over
# PgJDBC as the limit, cross-checked with pgbench when it is on the PATH (Debian's postgresql-client; not needed).
# Real PostgreSQL and Kafka as in the tests (embedded unless CS_TEST_POSTGRES_URL / CS_TEST_KAFKA_BOOTSTRAP_SERVERS
# name others). Prints a table; asserts nothing about the figures, but a row that measured nothing fails the run
# (exit 1). About 3 minutes; only a JDK needed. CS_BENCH_QUICK=1: short rounds, for trying a change. Other knobs
# (CS_BENCH_JOBS, CS_BENCH_SLOTS, CS_BENCH_RATE, CS_BENCH_MEASURE_SECONDS, CS_BENCH_LIMIT_CLIENTS, CS_BENCH_PROPS):
# see job-service/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="job-service/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl job-service -am \
    && ./mvnw -B -q verify -pl job-service -Dtest=JobsBenchmark -DexcludedGroups= -Dgroups=benchmark \
         -Dsurefire.failIfNoSpecifiedTests=false -DskipITs; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat job-service/target/benchmark/jobs.txt
