#!/usr/bin/env bash
# Fuzz smoke test: builds the cargo-fuzz targets in fuzz/ and runs each for a
# short while (30 s by default), one after another. Exits non-zero if a target
# crashes (the input is left in fuzz/artifacts/<target>/), fails its build, or
# ends abnormally. When nightly Rust or cargo-fuzz is missing it exits 0 with
# a "SKIPPED" message, except under CI=true, where that is a failure (CI must
# fuzz; `make test` installs both through scripts/setup.sh --fuzz).
#
# Each run's libFuzzer seed is printed; FUZZ_SEED=<n> replays it
# (-seed=<n>; the corpus in fuzz/corpus/ matters too).
#
#   scripts/fuzz-smoke.sh                  every smoke target, 30 s each
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh longer runs
#   FUZZ_TARGETS="query text" scripts/fuzz-smoke.sh
#
# New corpus entries go to fuzz/corpus/<target>/ (gitignored); the committed
# seeds in fuzz/seeds/<target>/ are read too. A crash should be minimised
# (cargo +nightly fuzz tmin -s none <target> <artifact>) and added to
# tests/fuzz/<target>/, which tests/fuzz_regressions.rs replays in cargo test.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"

if [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

say() { echo "fuzz-smoke: $*"; }
skip() {
  if [ "${CI:-}" = true ]; then
    say "FAILED: cannot fuzz under CI=true: $*"
    exit 1
  fi
  say "SKIPPED: $*"
  exit 0
}

seconds="${FUZZ_SECONDS:-30}"
read -r -a targets <<< "${FUZZ_TARGETS:-query text index index_mutate index_fst shard}"

command -v cargo >/dev/null 2>&1 || skip "cargo not found"
command -v rustup >/dev/null 2>&1 || skip "rustup not found (cargo fuzz needs a nightly toolchain)"
rustup toolchain list 2>/dev/null | grep -q '^nightly' \
  || skip "no nightly toolchain (rustup toolchain install nightly)"
cargo +nightly fuzz --version >/dev/null 2>&1 \
  || skip "cargo-fuzz is not installed (scripts/setup.sh --fuzz, or cargo install cargo-fuzz --locked)"

# No sanitizer: timkiem has no unsafe code, and without ASan the targets run
# several times faster. Debug assertions and overflow checks stay on.
fuzz=(cargo +nightly fuzz)
sanitizer=(-s none)

start=$SECONDS
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
say "building the fuzz targets ($(cargo +nightly fuzz --version))"
if ! "${fuzz[@]}" build "${sanitizer[@]}" >"$logs/build.log" 2>&1; then
  say "FAILED: cargo fuzz build; end of its log:"
  tail -n 60 "$logs/build.log" | sed 's/^/    /'
  exit 1
fi
say "built in $((SECONDS - start))s"

failed=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  extra=()
  if [ "$t" = index ]; then
    # Seed the raw-bytes target with the embedded index too (too big to commit).
    # (the newest build's, as timkiem's build.rs wrote it)
    bin="$(find target -path '*/release/build/timkiem-*/out/index.bin' -printf '%T@ %p\n' 2>/dev/null \
      | sort -rn | head -n1 | cut -d' ' -f2-)"
    [ -n "$bin" ] && cp "$bin" corpus/index/embedded.idx
    extra=(-max_len=100000)
  fi
  seed="${FUZZ_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}"
  say "running $t for ${seconds}s, seed $seed (replay: FUZZ_SEED=$seed FUZZ_TARGETS=$t)"
  rc=0
  "${fuzz[@]}" run "${sanitizer[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
    -seed="$seed" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" \
    >"$logs/$t.log" 2>&1 || rc=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -n1 || true)"
  cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$logs/$t.log" | tail -n1 || true)"
  if [ "$rc" -ne 0 ]; then
    say "FAILED: $t exited with status $rc after ${runs:-?} runs; end of its log:"
    grep -m 4 -A 2 -E 'panicked at|ERROR: libFuzzer|==ERROR|deadly signal' "$logs/$t.log" | sed 's/^/    /' || true
    grep -v '^warning: timkiem@' "$logs/$t.log" | tail -n 25 | sed 's/^/    /'
    failed+=("$t")
  else
    say "ok: $t: ${runs:-?} runs, ${cov:-no coverage line}"
  fi
done

say "took $((SECONDS - start))s"
if [ "${#failed[@]}" -gt 0 ]; then
  say "FAILED targets: ${failed[*]} (crash inputs in fuzz/artifacts/<target>/)"
  exit 1
fi
say "all targets ok"
