#!/usr/bin/env bash
# 1 KiB encrypt and decrypt over HTTP (wrk) against the packaged crypto-service, batches of 100, and the in-process
# seal against raw JCE AES-GCM. Prints a table; asserts nothing. About 2 minutes. wrk comes from Debian's wrk.
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
