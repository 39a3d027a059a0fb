#!/usr/bin/env bash
# `make pkg`: build into pkg/ everything a site serves, and copy it to
# www/pkg/ for the demo:
#   timkiem.js, timkiem.d.ts         the public JS API and its types (from www/)
#   tim-kiem.js, tim-kiem-element.js the <tim-kiem> element (from www/)
#   tim-kiem.d.ts                    its types
#   timkiem-worker.js, timkiem-worker-client.js (+ .d.ts)
#                                    the engine in a module worker
#   timkiem_wasm.js, timkiem_wasm_bg.wasm
#                                    the wasm-bindgen glue and the wasm, shrunk
#                                    with wasm-opt -Oz
#   package.json                     "type": "module", so node imports it too
#
# TIMKIEM_CORPUS (if set) is passed through untouched to build.rs, which
# reads it to choose the corpus that is indexed into the wasm.
# WASM_OPT overrides the wasm-opt program (default: the npm binaryen's).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

# PKG_OUT builds into another folder (e.g. a test fixture) and leaves pkg/
# and www/pkg/ alone.
out="${PKG_OUT:-pkg}"
wasm="$out/timkiem_wasm_bg.wasm"
wasm_opt="${WASM_OPT:-$root/node_modules/.bin/wasm-opt}"
# shellcheck source=scripts/wasm-opt-flags.sh
source scripts/wasm-opt-flags.sh  # opt_flags

[ -x "$wasm_opt" ] || command -v "$wasm_opt" >/dev/null 2>&1 \
  || { echo "pkg: wasm-opt not found at $wasm_opt (run scripts/setup.sh)" >&2; exit 1; }

echo "pkg: wasm-pack build --release --target web --out-dir $out --out-name timkiem_wasm${TIMKIEM_CORPUS:+ (TIMKIEM_CORPUS=$TIMKIEM_CORPUS)}${TIMKIEM_LAYOUT:+ (TIMKIEM_LAYOUT=$TIMKIEM_LAYOUT)}"
rm -rf "$out"
wasm-pack build --release --target web --out-dir "$out" --out-name timkiem_wasm
[ -f "$wasm" ] || { echo "pkg: $wasm was not produced" >&2; exit 1; }
raw_size=$(stat -c %s "$wasm")

# wasm-opt on a large module takes a while; the same input, program and flags
# give the same output, so keep results keyed by all three.
opt_version="$("$wasm_opt" --version)"
key="$({ sha256sum < "$wasm"; echo "$opt_version ${opt_flags[*]}"; } | sha256sum | cut -c1-32)"
cache_dir=target/wasm-opt-cache
mkdir -p "$cache_dir"
if [ -f "$cache_dir/$key.wasm" ]; then
  echo "pkg: wasm-opt ${opt_flags[0]} (unchanged input; reusing the optimized wasm)"
  cp "$cache_dir/$key.wasm" "$wasm"
else
  echo "pkg: $opt_version ${opt_flags[0]} $wasm"
  "$wasm_opt" "${opt_flags[@]}" "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
  # keep only the newest few cached results
  cp "$wasm" "$cache_dir/$key.wasm"
  ls -1t "$cache_dir"/*.wasm | tail -n +6 | xargs -r rm -f
fi

# The shards of a split build (TIMKIEM_LAYOUT, see build.rs): build.rs wrote
# them to its OUT_DIR/shards/. Ask cargo which OUT_DIR the build that
# wasm-pack just ran used (the same command is a no-op build that reports
# it), rather than guessing among stale ones.
out_dir="$(cargo build --release --lib --target wasm32-unknown-unknown --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    pid = m.get("package_id", "")
    if m.get("reason") == "build-script-executed" and ("#timkiem@" in pid or pid.startswith("timkiem ")):
        print(m["out_dir"])')"
[ -n "$out_dir" ] && [ -f "$out_dir/index.bin" ] || { echo "pkg: cannot find the OUT_DIR of timkiem's build script" >&2; exit 1; }
layout="$(sed -n 's/.*"layout":"\([a-z]*\)".*/\1/p' "$out_dir/index-breakdown.json")"
if [ -d "$out_dir/shards" ]; then
  cp -r "$out_dir/shards" "$out/shards"
  echo "pkg: $layout layout, $(ls "$out/shards" | wc -l) shards ($(du -sb "$out/shards" | cut -f1) bytes) in $out/shards/"
else
  echo "pkg: $layout layout (no shards)"
fi

# The hand-written JS next to the glue; wasm-pack's package.json and README
# describe the glue alone, so they make way for ours.
cp www/timkiem.js www/timkiem.d.ts www/tim-kiem.js www/tim-kiem-element.js "$out/"
# <tim-kiem worker> / createWorkerEngine(): the worker and its client; the
# element's types (the npm package's timkiem/element).
cp www/timkiem-worker.js www/timkiem-worker-client.js www/timkiem-worker-client.d.ts www/tim-kiem.d.ts "$out/"
rm -f "$out/README.md" "$out/package.json" "$out/.gitignore"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
cat > "$out/package.json" <<JSON
{
  "name": "timkiem",
  "version": "$version",
  "description": "Vietnamese in-browser search: the timkiem engine over one corpus, and the <tim-kiem> element",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "timkiem.js",
  "types": "timkiem.d.ts",
  "sideEffects": ["./tim-kiem.js"]
}
JSON

if [ "$out" = pkg ]; then
  rm -rf www/pkg
  mkdir -p www
  cp -r pkg www/pkg
fi

size=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "pkg: $wasm $size bytes (before wasm-opt: $raw_size), gzip -9: $gz bytes; ${PKG_OUT:+not }copied to www/pkg/"
