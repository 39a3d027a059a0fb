// Compares the keystroke latency of two (or more) builds of the package,
// interleaved in one Chromium session, so that the machine's noise falls on
// every build alike:
//
//   node bench/keystroke.mjs SITE PKG_A PKG_B [ROUNDS]
//
// SITE is a bench site folder holding docs.json (e.g. target/bench-sites/seeds);
// each PKG a folder built by scripts/build-pkg.sh (PKG_OUT=…). The workload is
// the shared bench's (measure.mjs: every prefix of 150 sampled phrases, a
// keystroke's time the mean of 10 back-to-back `query(q, {limit: 10})`
// calls). Each round runs every package once over the whole workload, in a
// fresh page, in turn (A, B, A, B, …); it prints each round's p50/p99 and the
// median over rounds (SLOWEST=1: and each run's slowest keystrokes).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, startServer, workload, runEngine } from './measure.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const rounds = /^\d+$/.test(args.at(-1) ?? '') ? +args.pop() : 3;
const [site, ...pkgs] = args;
if (!site || pkgs.length === 0) {
  console.error('usage: node bench/keystroke.mjs SITE PKG_A [PKG_B…] [ROUNDS]');
  process.exit(2);
}

const docs = JSON.parse(fs.readFileSync(path.join(site, 'docs.json'), 'utf8'));
const { keystrokes } = workload(docs, 150);
const server = await startServer({ site, pkg: null, nodeModules: path.join(root, 'node_modules') });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seen = pkgs.map(() => ({ p50: [], p99: [] }));
try {
  console.log(`${keystrokes.length} keystrokes, ${rounds} rounds`);
  for (let round = 0; round < rounds; round++) {
    for (const [i, pkg] of pkgs.entries()) {
      server.setPkg(path.resolve(pkg));
      const r = await runEngine(browser, server, 'timkiem', keystrokes);
      if (r.page_errors.length) throw new Error(`${pkg}: ${r.page_errors[0]}`);
      seen[i].p50.push(r.p50_us);
      seen[i].p99.push(r.p99_us);
      console.log(`round ${round} ${pkg}: p50 ${r.p50_us.toFixed(1)} µs, p99 ${r.p99_us.toFixed(1)} µs, mean ${r.mean_us.toFixed(1)} µs`);
      if (process.env.SLOWEST) console.log('  slowest:', r.slowest.map((s) => `${JSON.stringify(s.q)} ${s.us}`).join(', '));
    }
  }
  for (const [i, pkg] of pkgs.entries()) {
    console.log(`median ${pkg}: p50 ${median(seen[i].p50).toFixed(1)} µs, p99 ${median(seen[i].p99).toFixed(1)} µs`);
  }
} finally {
  await browser.close();
  await server.close();
}
