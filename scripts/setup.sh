#!/usr/bin/env bash
# Installs what building and testing timkiem needs, skipping every step that
# is already satisfied (a second run takes about a second).
#
#   scripts/setup.sh            Rust wasm target, wasm-pack, wasm-bindgen-cli, npm deps
#   scripts/setup.sh --browser  ... plus Debian's chromium + chromium-driver and
#                               firefox-esr (apt), and geckodriver (cargo, pinned)
#   scripts/setup.sh --fuzz     ... plus cargo-fuzz
#
# Needs, already on the machine: rustup/cargo, node/npm, python3.
# Nothing is downloaded outside the package registries (crates.io, npm, apt):
# wasm-pack's own downloads of wasm-bindgen / wasm-opt / chromedriver /
# geckodriver are made unnecessary by installing those tools here first.
set -euo pipefail

want_browser=0
want_fuzz=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --fuzz) want_fuzz=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$arg' (use --browser, --fuzz)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# cargo-installed tools live in ~/.cargo/bin; make sure they win on PATH.
if [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

for tool in cargo rustup node npm python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found; install Rust via rustup, node/npm and python3 first"
done

# Run a command as root (CI and the dev machines are root; sudo otherwise).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# 1. Rust target --------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown ok"
else
  say "installing rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
  say "rust target wasm32-unknown-unknown ok"
fi

# 2. wasm-pack -----------------------------------------------------------------
if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack (cargo install --locked)"
  cargo install wasm-pack --locked
fi
say "$(wasm-pack --version) ok"

# 3. wasm-bindgen-cli at exactly the version in Cargo.lock -------------------------
# wasm-pack refuses (or tries to download a prebuilt one) when the CLI differs from the
# wasm-bindgen crate the lock resolved, so read it from the lock.
if [ ! -f Cargo.lock ]; then
  say "no Cargo.lock yet; generating it (cargo generate-lockfile)"
  cargo generate-lockfile --quiet 2>/dev/null || true
fi
if [ -f Cargo.lock ]; then
  wb_version="$(awk '
    /^\[\[package\]\]/ { in_wb = 0 }
    /^name = "wasm-bindgen"$/ { in_wb = 1 }
    in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock)"
  [ -n "$wb_version" ] || die "no wasm-bindgen package in Cargo.lock"
  wb_source="Cargo.lock"
else
  # Only while the crate cannot even be resolved (e.g. no src/lib.rs yet):
  # fall back to the exact pin in Cargo.toml.
  wb_version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)"
  [ -n "$wb_version" ] || die "no Cargo.lock and no exact wasm-bindgen pin in Cargo.toml"
  wb_source="Cargo.toml's pin; no Cargo.lock yet"
fi
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (found: ${have_wb:-none})"
  # Not --locked: the CLI's own lock names crates (webpki-roots 1.0.11) that
  # the registry mirror here lacks; plain resolution works.
  cargo install wasm-bindgen-cli --version "=$wb_version" --force
  have_wb="$(wasm-bindgen --version | awk '{print $2}')"
  [ "$have_wb" = "$wb_version" ] || die "wasm-bindgen on PATH is $have_wb, want $wb_version ($(command -v wasm-bindgen))"
fi
say "wasm-bindgen-cli $have_wb ok (as in $wb_source)"

# 4. Browsers for wasm-pack test and the e2e tests (optional) -------------------
# Chromium + ChromeDriver and Firefox ESR from Debian; geckodriver from
# crates.io (Debian has none), pinned to a release that supports this ESR.
# wasm-pack and tests/e2e/webdriver.mjs take it from ~/.cargo/bin.
GECKODRIVER_VERSION=0.37.1
if [ "$want_browser" = 1 ]; then
  apt_pkgs=()
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || apt_pkgs+=(chromium chromium-driver)
  [ -x /usr/bin/firefox-esr ] || apt_pkgs+=(firefox-esr)
  if [ "${#apt_pkgs[@]}" -gt 0 ]; then
    say "installing ${apt_pkgs[*]} (apt)"
    # Wait for a concurrent apt/dpkg (another setup run) instead of failing.
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
      install -y -qq "${apt_pkgs[@]}"
  fi
  say "$(/usr/bin/chromium --version 2>/dev/null | head -n1) + $(/usr/bin/chromedriver --version | awk '{print $1, $2}') ok"
  say "$(/usr/bin/firefox-esr --version 2>/dev/null | head -n1) ok"

  have_gd="$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)"
  if [ "$have_gd" != "$GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION (cargo install --locked; found: ${have_gd:-none})"
    cargo install geckodriver --version "=$GECKODRIVER_VERSION" --locked --force
    have_gd="$(geckodriver --version | awk 'NR == 1 {print $2}')"
    [ "$have_gd" = "$GECKODRIVER_VERSION" ] \
      || die "geckodriver on PATH is $have_gd, want $GECKODRIVER_VERSION ($(command -v geckodriver))"
  fi
  say "geckodriver $have_gd ok ($(command -v geckodriver))"
fi

# 5. npm dev dependencies (binaryen's wasm-opt, playwright-core, benchmarks) ---
# npm writes node_modules/.package-lock.json on every install; it being older
# than the committed lock means the lock changed since.
if [ ! -f node_modules/.package-lock.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi
say "npm dev dependencies ok ($(node_modules/.bin/wasm-opt --version | awk '{print "wasm-opt", $3}'))"

# 6. cargo-fuzz (optional) -----------------------------------------------------------
if [ "$want_fuzz" = 1 ]; then
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz"
    cargo install cargo-fuzz --locked || {
      say "cargo install cargo-fuzz --locked failed; retrying without --locked"
      cargo install cargo-fuzz
    }
  fi
  say "$(cargo fuzz --version) ok"
  if rustup toolchain list | grep -q '^nightly'; then
    say "nightly toolchain ok"
  else
    say "note: no nightly toolchain (cargo fuzz run needs nightly or RUSTC_BOOTSTRAP=1)"
  fi
fi

say "done"
