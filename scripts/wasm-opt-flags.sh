# shellcheck shell=bash
# The wasm-opt flags of `make pkg`, sourced by scripts/build-pkg.sh and
# scripts/size-report.sh so that the size report measures what ships.
#
# strip = true in [profile.release] drops the target_features section, so
# wasm-opt cannot detect the features rustc used: name them (rustc's default
# set for wasm32-unknown-unknown; `rustc --print cfg --target wasm32-unknown-unknown`).
#
# Measured on the one-document wasm (gzip -9 bytes, scripts/size-report.sh):
# -Oz 60,290; + --strip-producers --strip-target-features (custom sections
# no browser reads) 60,118; + --converge (repeat the passes until nothing
# shrinks) 59,970. -Os gave 60,011 and -O3 60,116 without --converge.
# bench/run.mjs reads the flags from this file (the words of opt_flags).
# shellcheck disable=SC2034
opt_flags=(-Oz --converge --strip-producers --strip-target-features
  --enable-bulk-memory --enable-multivalue --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext)
