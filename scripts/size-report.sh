#!/usr/bin/env bash
# `make size`: where the bytes of the wasm go, per section and per crate,
# raw and gzip -9 (scripts/size-report.py), with the JS a page loads.
#
# Builds the wasm as `make pkg` does (release profile, the same wasm-opt
# flags) over a one-document corpus, so that almost every byte is code, into
# target/size/ (pkg/ is left alone). The release profile strips the `name`
# section; this build keeps it (CARGO_PROFILE_RELEASE_STRIP=false, wasm-opt -g)
# to attribute code to crates, and the figures for the wasm that ships are
# measured after stripping it again (wasm-opt --strip-debug).
#
#   scripts/size-report.sh               one-document corpus
#   TIMKIEM_CORPUS=/abs/dir scripts/size-report.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac
# shellcheck source=scripts/wasm-opt-flags.sh
source scripts/wasm-opt-flags.sh  # opt_flags
wasm_opt="${WASM_OPT:-$root/node_modules/.bin/wasm-opt}"

out=target/size
if [ -z "${TIMKIEM_CORPUS:-}" ]; then
  mkdir -p "$out/corpus"
  printf 'Một tài liệu\n\nMột tài liệu ngắn, để đo mã của bộ máy tìm kiếm.\n' > "$out/corpus/one.txt"
  export TIMKIEM_CORPUS="$root/$out/corpus"
fi

echo "size: wasm-pack build --release (strip = false) over $TIMKIEM_CORPUS" >&2
CARGO_PROFILE_RELEASE_STRIP=false wasm-pack --quiet build --release --target web --no-pack \
  --out-dir "$out/pkg" --out-name timkiem_wasm >&2
wasm="$out/pkg/timkiem_wasm_bg.wasm"
"$wasm_opt" "${opt_flags[@]}" -g "$wasm" -o "$out/named.wasm"
"$wasm_opt" "${opt_flags[@]:1}" --strip-debug --strip-producers "$out/named.wasm" -o "$out/shipped.wasm"

breakdown="$(ls -t target/wasm32-unknown-unknown/release/build/timkiem-*/out/index-breakdown.json 2>/dev/null | head -n1)"
python3 scripts/size-report.py "$out/named.wasm" ${breakdown:+--breakdown "$breakdown"} --json "$out/report.json"

gzsize() { gzip -9 -c "$1" | wc -c; }
shipped=$(gzsize "$out/shipped.wasm")
glue=$(gzsize "$out/pkg/timkiem_wasm.js")
api=$(gzsize www/timkiem.js)
echo
echo "what a page loads for the first query (gzip -9)"
printf '  %-28s %8s bytes (%s raw)\n' "wasm (stripped, as shipped)" "$shipped" "$(stat -c %s "$out/shipped.wasm")"
printf '  %-28s %8s bytes\n' "glue timkiem_wasm.js" "$glue" "API timkiem.js" "$api"
printf '  %-28s %8s bytes\n' "total" "$((shipped + glue + api))"
