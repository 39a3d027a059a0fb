#!/usr/bin/env bash
# Runs every tests/e2e/*.test.mjs (each a standalone node script that exits
# non-zero on failure), then tests/bench-smoke.mjs if present. Runs them all
# even after a failure, prints a summary and exits non-zero if any failed.
# Expects `make dist` to have run (www/pkg/ and dist/ built).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts=()
shopt -s nullglob
for f in tests/e2e/*.test.mjs; do scripts+=("$f"); done
shopt -u nullglob
[ -f tests/bench-smoke.mjs ] && scripts+=(tests/bench-smoke.mjs)

if [ "${#scripts[@]}" -eq 0 ]; then
  echo "e2e: no tests/e2e/*.test.mjs or tests/bench-smoke.mjs yet; nothing to run"
  exit 0
fi

passed=0
failed=0
failures=()
for f in "${scripts[@]}"; do
  echo "-- e2e: node $f"
  start=$SECONDS
  if node "$f"; then
    passed=$((passed + 1))
    echo "-- e2e: ok   $f ($((SECONDS - start))s)"
  else
    rc=$?
    failed=$((failed + 1))
    failures+=("$f")
    echo "-- e2e: FAIL $f (exit $rc, $((SECONDS - start))s)"
  fi
done

for f in "${failures[@]}"; do echo "e2e: failed: $f"; done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
