#!/usr/bin/env bash
# Prices a tenant transaction (set_config on the same connection + RLS) against a plain one, on embedded
# PostgreSQL through Hibernate Reactive. Prints a table; asserts nothing. Takes a few minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="platform/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl platform -am \
    && ./mvnw -B -q test -pl platform -Dtest=TenantTransactionBenchmark -DexcludedGroups= -Dgroups=benchmark \
         -Dsurefire.failIfNoSpecifiedTests=false; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat platform/target/benchmark/tenant-transaction.txt
