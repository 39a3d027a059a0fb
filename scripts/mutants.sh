#!/usr/bin/env bash
# Mutation testing (cargo-mutants, from crates.io) over the core crate's
# engine, text, query and snippet modules. Not part of `make test`: a full
# run takes hours on a small machine. See "Mutation testing" in README.md.
#
#   scripts/mutants.sh                       every mutant of those modules
#   scripts/mutants.sh --list                count them
#   MUTANTS_SHARD=0/8 scripts/mutants.sh     one shard (round-robin), e.g. on CI
#   MUTANTS_OUT=/tmp/m scripts/mutants.sh    where mutants.out/ goes
#
# The tests run are those of timkiem-core (its unit tests and
# crates/core/tests/, without doctests): they build without the wasm crate
# and its build.rs, so that each mutant costs one build of the core crate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "mutants: installing cargo-mutants (crates.io)"
  cargo install cargo-mutants --locked --version 27.1.0
fi

files=(
  crates/core/src/search/mod.rs crates/core/src/search/plan.rs crates/core/src/search/matches.rs
  crates/core/src/search/rank.rs crates/core/src/search/hits.rs crates/core/src/search/split.rs crates/core/src/search/suggest.rs
  crates/core/src/fuzzy.rs crates/core/src/score.rs
  crates/core/src/text/mod.rs crates/core/src/query.rs crates/core/src/snippet.rs
)
args=(-p timkiem-core --test-package timkiem-core --timeout "${MUTANTS_TIMEOUT:-300}"
  --build-timeout "${MUTANTS_BUILD_TIMEOUT:-900}"
  --cargo-test-arg=--lib --cargo-test-arg=--tests)
for f in "${files[@]}"; do args+=(--file "$f"); done
[ -n "${MUTANTS_SHARD:-}" ] && args+=(--shard "$MUTANTS_SHARD" --sharding round-robin)
[ -n "${MUTANTS_OUT:-}" ] && args+=(--output "$MUTANTS_OUT")

# No debug info: each mutant links faster, and the tests need none.
export CARGO_PROFILE_TEST_DEBUG=false CARGO_PROFILE_DEV_DEBUG=false
exec cargo mutants "${args[@]}" "$@"
