# timkiem build, demo and test entry points.
#
#   make demo    build the wasm and serve www/ at http://127.0.0.1:8080 (PORT=...)
#   make test    everything CI runs (.ci/run calls exactly this)
#   make pkg     what a site serves (JS API, element, glue, wasm -Oz) -> pkg/ and www/pkg/
#   make dist    pkg + node scripts/dist.mjs -> dist/timkiem.html
#   make npm     pkg + npm pack -> timkiem-<version>.tgz (npm install it)
#   make bench   node bench/run.mjs (builds its own wasm per corpus; BENCH_ARGS=...)
#   make mutants cargo-mutants over the core's engine, text, query and snippet
#                modules (slow: not part of test; MUTANTS_SHARD=k/n for one shard)
#   make size    code and data bytes per section and crate, gzip (scripts/size-report.sh)
#   make clean
#
# TIMKIEM_CORPUS=/abs/path/to/docs selects the corpus (read by build.rs);
# TIMKIEM_LAYOUT=embedded|split|auto (default auto) the layout.
# Each target installs what it needs first (scripts/setup.sh; fast when done).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(PATH)

PORT ?= 8080
# Set by the targets that already ran setup, for the nested make calls.
SKIP_SETUP ?=
SETUP = $(if $(SKIP_SETUP),@true,scripts/setup.sh)
FUZZ_FLAG = $(if $(wildcard fuzz/Cargo.toml),--fuzz,)

.PHONY: help setup pkg demo test dist npm bench mutants size clean distclean

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'

setup:
	scripts/setup.sh

pkg:
	$(SETUP)
	scripts/build-pkg.sh

demo:
	$(SETUP)
	$(MAKE) --no-print-directory SKIP_SETUP=1 pkg
	@echo "demo: serving www/ at http://127.0.0.1:$(PORT)/"
	python3 scripts/serve.py --dir www --port $(PORT)

dist:
	$(SETUP)
	$(MAKE) --no-print-directory SKIP_SETUP=1 pkg
	@if [ ! -f scripts/dist.mjs ]; then \
	  echo "dist: scripts/dist.mjs does not exist yet (the widget's single-file build); cannot make dist/timkiem.html" >&2; \
	  exit 1; \
	fi
	node scripts/dist.mjs

npm:
	$(SETUP)
	$(MAKE) --no-print-directory SKIP_SETUP=1 pkg
	scripts/build-npm.sh

bench:
	@if [ ! -f bench/run.mjs ]; then \
	  echo "bench: bench/run.mjs does not exist yet" >&2; \
	  exit 1; \
	fi
	$(if $(SKIP_SETUP),@true,scripts/setup.sh --browser)
	node bench/run.mjs $(BENCH_ARGS)

size:
	$(SETUP)
	scripts/size-report.sh

test:
	scripts/setup.sh --browser $(FUZZ_FLAG)
	@echo "== test: cargo clippy"
	cargo clippy --workspace --all-targets -- -D warnings
	@echo "== test: cargo test"
	cargo test --workspace
	@echo "== test: wasm-pack test --headless --chrome"
	# WASM_BINDGEN_TEST_TIMEOUT=300 wasm-pack test --headless --chrome (+ counts)
	scripts/wasm-test.sh chrome
	@echo "== test: wasm-pack test --headless --firefox"
	# The same in Firefox ESR, through geckodriver from ~/.cargo/bin.
	scripts/wasm-test.sh firefox
	@if [ -f fuzz/Cargo.toml ] && [ -f scripts/fuzz-smoke.sh ]; then \
	  echo "== test: fuzz smoke (scripts/fuzz-smoke.sh)"; \
	  bash scripts/fuzz-smoke.sh; \
	fi
	@echo "== test: make dist (pkg + dist/timkiem.html)"
	$(MAKE) --no-print-directory SKIP_SETUP=1 dist
	@echo "== test: npm package (scripts/build-npm.sh, from the pkg/ make dist built)"
	scripts/build-npm.sh
	@echo "== test: the JS API, pkg/timkiem.js, and its worker engine (node --test)"
	node --test tests/js/api.test.mjs tests/js/worker.test.mjs
	@echo "== test: the split-layout fixture (1,000 generated documents, TIMKIEM_LAYOUT=split)"
	scripts/build-split-fixture.sh
	@echo "== test: the npm package of the split fixture (for the Vite test's split case)"
	NPM_PKG=target/e2e-split/pkg NPM_DEST=$(CURDIR)/target/e2e-split scripts/build-npm.sh
	@echo "== test: end-to-end browser tests"
	TIMKIEM_NPM_SPLIT_TARBALL="$$(ls $(CURDIR)/target/e2e-split/timkiem-*.tgz)" \
	  TIMKIEM_NPM_SPLIT_QUERY="khong mot cong loan" TIMKIEM_NPM_SPLIT_TITLE="Không một công loan" \
	  scripts/run-e2e.sh

# Not part of `make test`: hours for every mutant on a small machine.
mutants:
	scripts/mutants.sh $(MUTANTS_ARGS)

clean:
	rm -rf pkg www/pkg dist bench-out timkiem-*.tgz
	cargo clean

distclean: clean
	rm -rf node_modules
