#!/usr/bin/env bash
# GET /api/v1/budgets/me through the packaged gateway versus straight to the packaged budget-service, with the
# project's HttpLoad, at a fixed 1,000 requests/s and at saturation over 1,000 tenants: the gateway's added p50/p99
# and its throughput ratio. Real processes in the prod profile on the test PostgreSQL and Kafka. Prints a table;
# asserts nothing about the figures, but a round that got no 2xx answer fails the run with its name (exit 1). About
# 7 minutes; only a JDK needed. Knobs (CS_BENCH_QUICK, CS_BENCH_WARMUP_SECONDS, ...): see gateway/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="gateway/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl budget-service,gateway -am \
    && ./mvnw -B -q verify -pl gateway -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
         -Dit.test=GatewayLatencyBenchmarkIT -DexcludedGroups= -Dgroups=benchmark; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat gateway/target/benchmark/latency.txt
