// Shared helpers for the end-to-end scripts: a static file server for www/
// on an ephemeral localhost port, and a headless Chromium.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close, log }.
 *  Options: `mounts`, URL prefixes served from other folders (e.g.
 *  `{ '/pkg/': splitPkg }`); `fault(pathname)`, called per request, may
 *  return `{ status }`, `{ truncate: true }`, `{ alter: true }` and/or
 *  `{ delay: ms }` to serve an error, a cut or altered body, or a late one.
 *  `log` lists every pathname requested, in order. */
export async function serve(dir, { mounts = {}, fault = () => null } = {}) {
  const root = path.resolve(dir);
  const log = [];
  const server = http.createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://localhost');
      log.push(pathname);
      const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
      const base = mount ? path.resolve(mounts[mount]) : root;
      const rel = mount ? pathname.slice(mount.length) : pathname;
      let file = path.join(base, decodeURIComponent(rel));
      if (file !== base && !file.startsWith(base + path.sep)) throw new Error('outside the served folder');
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      let data = await fs.readFile(file);
      const f = fault(pathname) || {};
      if (f.delay) await new Promise((ok) => setTimeout(ok, f.delay));
      if (f.status) {
        res.writeHead(f.status, { 'content-type': 'text/plain' });
        return res.end('injected fault');
      }
      if (f.truncate) data = data.subarray(0, Math.floor(data.length / 2));
      if (f.alter) { data = Buffer.from(data); data[data.length - 1] ^= 0x5a; }
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] || 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(data);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, log, close: () => new Promise((ok) => server.close(ok)) };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Collects console errors, page errors, failed requests and CSP violations. */
export function watch(page) {
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  return problems;
}

/** Records securitypolicyviolation events in the page (call before goto). */
export async function recordCsp(page) {
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

/** A tiny test runner: named steps, a summary line, exit code 1 on failure. */
export function runner(name) {
  let passed = 0, failed = 0;
  return {
    async step(label, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok - ${label}`);
      } catch (err) {
        failed++;
        console.log(`not ok - ${label}\n  ${String(err?.stack || err).split('\n').join('\n  ')}`);
      }
    },
    done() {
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      process.exitCode = failed ? 1 : 0;
      return failed === 0;
    },
  };
}
