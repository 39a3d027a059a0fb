// Helpers for the end-to-end scripts that drive Firefox ESR through WebDriver
// (selenium-webdriver + geckodriver), next to harness.mjs's Chromium ones.
//
// Nothing is downloaded: geckodriver and Firefox are given to selenium
// explicitly (selenium-manager only runs when a driver path is missing), and
// SE_OFFLINE=true keeps it offline should it ever run anyway.
//   GECKODRIVER  geckodriver binary (default: ~/.cargo/bin/geckodriver, then PATH)
//   FIREFOX      Firefox binary (default: /usr/bin/firefox-esr)
// Both come from `scripts/setup.sh --browser`. E2E_DEBUG=1 prints every
// browser log entry as it arrives.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder, Browser } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import LogInspector from 'selenium-webdriver/bidi/logInspector.js';

process.env.SE_OFFLINE ??= 'true';

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** The geckodriver and Firefox binaries, or an Error saying what is missing. */
export function binaries() {
  const driver = process.env.GECKODRIVER ||
    [path.join(os.homedir(), '.cargo', 'bin', 'geckodriver')].find(executable) || onPath('geckodriver');
  const browser = process.env.FIREFOX || '/usr/bin/firefox-esr';
  const missing = [];
  if (!driver || !executable(driver)) missing.push(`geckodriver (${driver || 'not in ~/.cargo/bin or on PATH'}; set GECKODRIVER)`);
  if (!executable(browser)) missing.push(`Firefox (${browser}; set FIREFOX)`);
  if (missing.length) {
    throw new Error(`missing ${missing.join(' and ')}: run scripts/setup.sh --browser`);
  }
  return { driver, browser };
}

/** Exits the test script with a clear message when Firefox or geckodriver
 *  is missing (call before starting anything). */
export function requireFirefox(name = 'firefox') {
  try {
    binaries();
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  }
}

/** A headless Firefox session with WebDriver BiDi enabled (for the logs). */
export async function launchFirefox({ width = 1280, height = 800 } = {}) {
  const { driver, browser } = binaries();
  const options = new firefox.Options()
    .setBinary(browser)
    .addArguments('-headless')
    .windowSize({ width, height })
    .enableBidi()
    // No update checks or other background traffic from the test profile.
    .setPreference('app.update.disabledForTesting', true)
    .setPreference('browser.shell.checkDefaultBrowser', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('toolkit.telemetry.enabled', false)
    .setPreference('ui.prefersReducedMotion', 1);
  const service = new firefox.ServiceBuilder(driver);
  return new Builder().forBrowser(Browser.FIREFOX).setFirefoxOptions(options).setFirefoxService(service).build();
}

/** Collects, from every page of `driver` (call before the first get()),
 *  console errors and warnings and JavaScript errors: uncaught exceptions and
 *  what Firefox itself reports as errors, CSP violations included. Returns
 *  the array it fills. */
export async function watch(driver) {
  const problems = [];
  const logs = await LogInspector(driver);
  await logs.onLog((entry) => {
    if (process.env.E2E_DEBUG) console.log(`# ${Date.now()} log`, JSON.stringify(entry));
    if (entry.type === 'javascript' || entry.level === 'error' || entry.level === 'warn') {
      const at = (entry.stackTrace?.callFrames || []).slice(0, 3)
        .map((f) => `${f.functionName || '(anonymous)'}@${f.url}:${f.lineNumber + 1}`).join(' < ');
      problems.push(`${entry.type}.${entry.level}: ${entry.text}${at ? ` (at ${at})` : ''}`);
    }
  });
  return problems;
}

/** Resources the current page loaded with an HTTP error status. */
export function httpErrors(driver) {
  return driver.executeScript(() => [...new Set(performance.getEntriesByType('resource')
    .filter((e) => e.responseStatus >= 400)
    .map((e) => `HTTP ${e.responseStatus}: ${e.name}`))]);
}

/** Polls `fn` (a function run in the page, with `args`) until it returns a
 *  truthy value; returns that value, or throws `message` after `timeout` ms. */
export async function until(driver, message, fn, args = [], timeout = 15000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await driver.executeScript(fn, ...args);
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms: ${message} (last: ${JSON.stringify(last)})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Resolves after the page has rendered two more animation frames (the
 *  widget coalesces keystrokes within a frame and searches again at its end). */
export function settle(driver) {
  return driver.executeAsyncScript((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
}
