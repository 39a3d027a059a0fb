#!/usr/bin/env bash
# `make npm`: packs pkg/ (built by `make pkg` over TIMKIEM_CORPUS, in either
# layout) as the npm package `timkiem`, into timkiem-<version>.tgz at the
# repository root. The package is everything pkg/ has (shards included),
# with npm/README.md, the licences and a package.json with an exports map:
#   timkiem          -> timkiem.js      (init, query, …; types timkiem.d.ts)
#   timkiem/element  -> tim-kiem.js     (registers <tim-kiem>; types tim-kiem.d.ts)
#   timkiem/worker   -> timkiem-worker-client.js (createWorkerEngine)
# Prints the tarball's path and its packed and unpacked sizes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
die() { echo "npm: $*" >&2; exit 1; }

src="${NPM_PKG:-pkg}"
dest="${NPM_DEST:-$root}"
for f in timkiem.js timkiem.d.ts tim-kiem.js tim-kiem.d.ts tim-kiem-element.js \
         timkiem-worker.js timkiem-worker-client.js timkiem-worker-client.d.ts \
         timkiem_wasm.js timkiem_wasm_bg.wasm; do
  [ -f "$src/$f" ] || die "$src/$f is missing: run \`make pkg\` first (make npm does)"
done

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
[ -n "$version" ] || die "no version in Cargo.toml"
stage_root="target/npm-$(printf %s "$src" | tr / _)"
stage="$stage_root/package"
rm -rf "$stage_root"
mkdir -p "$stage"
cp -R "$src/." "$stage/"
cp LICENSE-MIT LICENSE-APACHE "$stage/"
sed "s/timkiem-0\.1\.0\.tgz/timkiem-$version.tgz/g" npm/README.md > "$stage/README.md"

cat > "$stage/package.json" <<JSON
{
  "name": "timkiem",
  "version": "$version",
  "description": "Vietnamese in-browser search: the timkiem engine (WebAssembly) over one corpus, and the <tim-kiem> element",
  "keywords": ["search", "vietnamese", "wasm", "web-component", "full-text-search"],
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./timkiem.js",
  "types": "./timkiem.d.ts",
  "exports": {
    ".": {
      "types": "./timkiem.d.ts",
      "default": "./timkiem.js"
    },
    "./element": {
      "types": "./tim-kiem.d.ts",
      "default": "./tim-kiem.js"
    },
    "./worker": {
      "types": "./timkiem-worker-client.d.ts",
      "default": "./timkiem-worker-client.js"
    },
    "./timkiem_wasm_bg.wasm": "./timkiem_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "sideEffects": ["./tim-kiem.js"]
}
JSON

# npm pack would honour a .gitignore (wasm-pack writes one saying "*"); an
# .npmignore, even empty, takes its place: every file goes in.
find "$stage" -name .gitignore -delete
: > "$stage/.npmignore"

out="$dest/timkiem-$version.tgz"
rm -f "$out"
tgz="$(cd "$stage" && npm pack --silent --pack-destination "$dest")"
[ "$dest/$tgz" = "$out" ] && [ -f "$out" ] || die "npm pack wrote '$tgz', expected $out"
packed=$(stat -c %s "$out")
unpacked=$(find "$stage" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
files=$(tar -tzf "$out" | wc -l)
staged=$(find "$stage" -type f ! -name .npmignore | wc -l)
[ "$files" -eq "$staged" ] || die "$out has $files files, but $stage has $staged"
echo "npm: $out: $packed bytes packed, $unpacked bytes unpacked, $files files"
