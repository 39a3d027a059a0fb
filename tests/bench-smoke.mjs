// Smoke test of the browser benchmark (bench/run.mjs), cheap enough for `make test`:
// seeds only, 5 phrases, timkiem + MiniSearch, no Pagefind and no build of its own.
// Uses the package `make pkg` / `make dist` already built (www/pkg/, else pkg/),
// which must be built over seeds/ (the default corpus).
// Exits non-zero if anything errors or timkiem finds nothing for the first keystroke.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, startServer, workload, runEngine, summary } from '../bench/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PHRASES = 5;
let passed = 0, failed = 0;
const check = (ok, what) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const watchdog = setTimeout(() => { console.error('bench-smoke: FAIL: still running after 90 s'); console.log(`bench-smoke: ${passed} passed, ${failed + 1} failed`); process.exit(1); }, 90_000);
watchdog.unref();

const pkg = ['www/pkg', 'pkg'].map(d => path.join(root, d)).find(d => fs.existsSync(path.join(d, 'timkiem_wasm_bg.wasm')) && fs.existsSync(path.join(d, 'timkiem.js')));
if (!pkg) {
  console.error('bench-smoke: FAIL: no built package in www/pkg/ or pkg/ (run `make pkg` first)');
  console.log('bench-smoke: 0 passed, 1 failed');
  process.exit(1);
}

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'timkiem-bench-smoke-'));
let browser;
try {
  const p = spawnSync('python3', [path.join(root, 'bench', 'prepare.py'), path.join(root, 'seeds'), site], { encoding: 'utf8' });
  check(p.status === 0, `bench/prepare.py seeds/ (${(p.stdout || p.stderr || '').trim()})`);
  if (p.status !== 0) throw new Error('prepare.py failed');
  const docs = JSON.parse(fs.readFileSync(path.join(site, 'docs.json'), 'utf8'));
  const { phrases, keystrokes } = workload(docs, PHRASES);
  check(keystrokes.length > 0, `workload: ${phrases.length} phrases, ${keystrokes.length} keystrokes (first: "${keystrokes[0]}")`);

  const server = await startServer({ site, pkg, nodeModules: path.join(root, 'node_modules') });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const engine of ['minisearch', 'timkiem']) {
    let r;
    try {
      r = await runEngine(browser, server, engine, keystrokes);
    } catch (e) {
      check(false, `${engine}: ran without error (${String(e.message || e).split('\n')[0]})`);
      continue;
    }
    console.log(`     ${engine.padEnd(10)} ${summary(r)}`);
    check(r.page_errors.length === 0, `${engine}: no page errors${r.page_errors.length ? ` (${r.page_errors.join('; ')})` : ''}`);
    check(r.isolated === true, `${engine}: page is cross-origin isolated`);
    check(r.keystrokes === keystrokes.length && Number.isFinite(r.p50_us) && Number.isFinite(r.startup_ms), `${engine}: timed every keystroke`);
    check(r.payload_gz_bytes > 0, `${engine}: payload measured (${(r.payload_gz_bytes / 1024).toFixed(1)} KB gzip)`);
    if (engine === 'timkiem') check(r.first_hits > 0, `timkiem: ${r.first_hits} hits for the first keystroke "${keystrokes[0]}" (${path.relative(root, pkg)} must be built over seeds/)`);
  }
  await server.close();
} catch (e) {
  check(false, `bench-smoke: ${e.message || e}`);
} finally {
  if (browser) await browser.close();
  fs.rmSync(site, { recursive: true, force: true });
}
console.log(`bench-smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
