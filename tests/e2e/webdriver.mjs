// Helpers for the end-to-end scripts that drive Firefox ESR through WebDriver
// (selenium-webdriver + geckodriver), next to harness.mjs's Chromium ones.
//
// Nothing is downloaded: geckodriver and Firefox are given to selenium
// explicitly (selenium-manager only runs when a driver path is missing), and
// SE_OFFLINE=1 keeps it offline should it ever run anyway.
//   GECKODRIVER  geckodriver binary (default: ~/.cargo/bin/geckodriver, then PATH)
//   FIREFOX      Firefox binary (default: /usr/bin/firefox-esr)
// Both come from `scripts/setup.sh --browser`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder, Browser } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import LogInspector from 'selenium-webdriver/bidi/logInspector.js';
import ScriptManager from 'selenium-webdriver/bidi/scriptManager.js';

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

/** Collects console errors and warnings, uncaught exceptions and CSP
 *  violations from every page of `driver` (call before the first get()).
 *  Returns the array it fills; read CSP violations with cspViolations(). */
export async function watch(driver) {
  const problems = [];
  const logs = await LogInspector(driver);
  await logs.onLog((entry) => {
    if (entry.type === 'javascript' || entry.level === 'error' || entry.level === 'warn') {
      problems.push(`${entry.type}.${entry.level}: ${entry.text}`);
    }
  });
  // Runs before the page's own scripts in every new document.
  const scripts = await ScriptManager(undefined, driver);
  await scripts.addPreloadScript(`() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' ' + e.sourceFile + ':' + e.lineNumber);
    });
  }`);
  return problems;
}

/** CSP violations recorded in the current page, and resources the page
 *  loaded with an HTTP error status. */
export function pageProblems(driver) {
  return driver.executeScript(() => [
    ...(window.__csp || ['no CSP recorder in this page (watch() not called before get())']),
    ...performance.getEntriesByType('resource')
      .filter((e) => e.responseStatus >= 400)
      .map((e) => `HTTP ${e.responseStatus}: ${e.name}`),
  ]);
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
