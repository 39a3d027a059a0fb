#!/usr/bin/env bash
# Runs the wasm-bindgen browser tests (tests/web.rs, tests/widget_web.rs, …)
# in one headless browser through wasm-pack, with the drivers that
# `scripts/setup.sh --browser` installed (wasm-pack must never download one),
# and ends with a line "wasm-pack test (BROWSER): N passed, N failed, N ignored".
#
#   scripts/wasm-test.sh chrome     Chromium + /usr/bin/chromedriver
#   scripts/wasm-test.sh firefox    Firefox ESR + geckodriver from ~/.cargo/bin
#
# CHROMEDRIVER, GECKODRIVER and FIREFOX override the binaries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

die() { echo "wasm-test: ERROR: $*" >&2; exit 1; }

browser="${1:-}"
case "$browser" in
  chrome)
    driver="${CHROMEDRIVER:-/usr/bin/chromedriver}"
    [ -x "$driver" ] || die "no chromedriver at $driver: run scripts/setup.sh --browser"
    args=(--chrome --chromedriver "$driver")
    ;;
  firefox)
    driver="${GECKODRIVER:-$(command -v geckodriver || true)}"
    [ -n "$driver" ] && [ -x "$driver" ] || die "no geckodriver on PATH: run scripts/setup.sh --browser"
    firefox="${FIREFOX:-/usr/bin/firefox-esr}"
    [ -x "$firefox" ] || die "no Firefox at $firefox: run scripts/setup.sh --browser"
    args=(--firefox --geckodriver "$driver")
    # wasm-bindgen-test-runner passes GECKODRIVER_ARGS to geckodriver: name the
    # ESR binary rather than rely on Debian's /usr/bin/firefox wrapper.
    export GECKODRIVER_ARGS="--binary $firefox"
    ;;
  *) die "usage: scripts/wasm-test.sh chrome|firefox" ;;
esac

# The memory test makes 100,000 queries: allow more than the runner's 20 s default.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"
echo "wasm-test: WASM_BINDGEN_TEST_TIMEOUT=$WASM_BINDGEN_TEST_TIMEOUT${GECKODRIVER_ARGS:+ GECKODRIVER_ARGS='$GECKODRIVER_ARGS'} wasm-pack test --headless ${args[*]}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
rc=0
wasm-pack test --headless "${args[@]}" 2>&1 | tee "$log" || rc=$?

# One "test result: ok. 12 passed; 0 failed; 0 ignored; …" line per test binary.
read -r passed failed ignored binaries < <(awk '
  /test result:/ {
    for (i = 1; i < NF; i++) {
      if ($(i + 1) ~ /^passed/) p += $i
      if ($(i + 1) ~ /^failed/) f += $i
      if ($(i + 1) ~ /^ignored/) g += $i
    }
    n++
  }
  END { print p + 0, f + 0, g + 0, n + 0 }' "$log")
echo "wasm-pack test ($browser): $passed passed, $failed failed, $ignored ignored ($binaries test binaries, $((SECONDS - start))s)"
if [ "$rc" -eq 0 ] && [ "$binaries" -eq 0 ]; then
  die "wasm-pack test exited 0 but printed no test results"
fi
exit "$rc"
