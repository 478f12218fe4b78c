// Launches Debian's Chromium through playwright-core with the flags this sandbox needs, and
// collects console errors, page errors, failed requests and CSP violations for every page.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Records console errors, page errors, failed requests, HTTP >= 400 and CSP violations of `page`
 * into `page.problems` (also for pages opened later in an existing context: popups, second windows). */
export async function watch(page) {
  page.problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || /Content Security Policy/i.test(text)) page.problems.push(`console ${msg.type()}: ${text}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

/** A new page that records problems into `page.problems`. Service workers are blocked unless
 * `options` allow them: a release build's worker caches the whole site on the first visit
 * (public/sw.js), which offline.test.mjs checks and which would only slow every other test. */
export async function newPage(browser, viewport = { width: 1280, height: 900 }, options = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block', ...options });
  return watch(await context.newPage());
}
