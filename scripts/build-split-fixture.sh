#!/usr/bin/env bash
# Builds the split-layout fixture of tests/e2e/split.test.mjs: a generated
# 1,000-document corpus (bench/gen_corpus.py, deterministic) indexed with
# TIMKIEM_LAYOUT=split into target/e2e-split/pkg, with its own cargo target
# folder so that it and the seeds' build (pkg/) stay cached side by side.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir=target/e2e-split
if [ ! -f "$dir/corpus/.done" ]; then
  rm -rf "$dir/corpus"
  python3 bench/gen_corpus.py --docs 1000 --out "$dir/corpus" >/dev/null
  touch "$dir/corpus/.done"
fi
PKG_OUT="$dir/pkg" CARGO_TARGET_DIR="$root/$dir/cargo" TIMKIEM_CORPUS="$root/$dir/corpus" TIMKIEM_LAYOUT=split \
  scripts/build-pkg.sh
