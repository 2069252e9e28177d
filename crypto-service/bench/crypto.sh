#!/usr/bin/env bash
# 1 KiB encrypt and decrypt over HTTP (the project's HttpLoad) against the packaged crypto-service, batches of 100,
# and the in-process seal against raw JCE AES-GCM. Prints a table; asserts nothing about the figures, but a round that
# measured nothing (no 2xx answer, no JMH score) fails the run with its name (exit 1). About 2 minutes; only a JDK
# needed. CS_BENCH_QUICK=1: every row once, briefly (under a minute), to see that it runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
log="crypto-service/target/benchmark/build.log"
mkdir -p "$(dirname "$log")"
if ! { ./mvnw -B -q install -DskipTests -pl crypto-service -am \
    && ./mvnw -B -q verify -pl crypto-service -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false \
         -Dit.test=CryptoBenchmarkIT -DexcludedGroups= -Dgroups=benchmark; } > "$log" 2>&1; then
  tail -40 "$log" >&2
  exit 1
fi
cat crypto-service/target/benchmark/crypto.txt
