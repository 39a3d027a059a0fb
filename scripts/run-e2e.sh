#!/usr/bin/env bash
# Runs every tests/e2e/*.test.mjs (each a standalone node script that exits
# non-zero on failure), then tests/bench-smoke.mjs if present. Runs them all
# even after a failure, prints a summary (also per browser: a script whose
# name has "firefox" drives Firefox ESR through WebDriver, one that launches
# Chromium is counted as chromium, the rest as node) and exits non-zero if any
# failed.
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

# Totals are the scripts' own "N passed, N failed" lines where they print
# one; a script that prints none counts as one test.
passed=0
failed=0
failures=()
declare -A browser_passed=() browser_failed=()
browser_of() {
  case "$1" in
    *firefox*) echo firefox ;;
    *) if grep -Eq "launch\(|chromium" "$1"; then echo chromium; else echo node; fi ;;
  esac
}
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for f in "${scripts[@]}"; do
  echo "-- e2e: node $f"
  start=$SECONDS
  rc=0
  node "$f" 2>&1 | tee "$log" || rc=$?
  counts="$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 || true)"
  p=0; n=0
  if [ -n "$counts" ]; then
    p="${counts%% passed*}"
    n="${counts#*passed, }"; n="${n%% failed*}"
  fi
  if [ "$rc" -eq 0 ] && [ -z "$counts" ]; then p=1; fi
  if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then n=1; fi
  passed=$((passed + p))
  failed=$((failed + n))
  b="$(browser_of "$f")"
  browser_passed[$b]=$(( ${browser_passed[$b]:-0} + p ))
  browser_failed[$b]=$(( ${browser_failed[$b]:-0} + n ))
  if [ "$rc" -eq 0 ]; then
    echo "-- e2e: ok   $f ($((SECONDS - start))s)"
  else
    failures+=("$f")
    echo "-- e2e: FAIL $f (exit $rc, $((SECONDS - start))s)"
  fi
done

for f in "${failures[@]}"; do echo "e2e: failed: $f"; done
for b in chromium firefox node; do
  [ -n "${browser_passed[$b]:-}" ] || continue
  echo "e2e ($b): ${browser_passed[$b]} passed, ${browser_failed[$b]} failed"
done
echo "e2e: $passed passed, $failed failed"
[ "${#failures[@]}" -eq 0 ]
