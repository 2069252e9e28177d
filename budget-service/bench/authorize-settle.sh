#!/usr/bin/env bash
# Authorize+settle pairs over HTTP against the packaged budget-service (1,000 tenants, one hot tenant, and a fixed
# 1,000 requests/s), then the same statements straight into PostgreSQL with pgbench as the physical limit.
# Prints a table; asserts nothing. About 5 minutes. pgbench comes from Debian's postgresql-client.
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
