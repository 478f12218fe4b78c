// The e2e tests' one helper module: the setup every test file starts with (`useSite`), where the
// built site is, problem tracking, polling, and the widgets as the DOM shows them: articles and
// their widgets, readouts and clocks, canvases, transport and speed, scrolling a widget out of
// view, emulating a hidden tab, a seeded PRNG. (server.mjs and browser.mjs are the pieces under
// it, shared with tests/perf.)
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, newPage, watch } from './browser.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built site under test: `TRADEOFFS_DIST` when set (a private copy), else dist/. */
export const DIST = process.env.TRADEOFFS_DIST ? path.resolve(process.env.TRADEOFFS_DIST) : path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'target/e2e');

/** Problem tracking for pages opened in an existing context (presenter windows, popups). */
export { watch };

/**
 * The setup every test file starts with: `const site = useSite();` serves the built site (DIST)
 * on 127.0.0.1 and launches Chromium before the file's tests, and closes both after them. Once
 * the tests run, `site.url` is the site's origin, `site.browser` the browser, `site.server` the
 * server ({ url, close, requests }), and `site.newPage(viewport, options)` opens a page in a
 * fresh context that records its problems (see `clean`). `requires` names a file DIST must have;
 * `setup(site)` and `teardown(site)` add a file's own fixtures once the site is up and before it
 * closes (file-level `before` hooks of node:test 20 do not wait for one another).
 */
export function useSite({ requires = 'index.html', setup, teardown } = {}) {
  const site = {
    url: undefined, server: undefined, browser: undefined,
    newPage: (viewport, options) => newPage(site.browser, viewport, options),
  };
  before(async () => {
    assert.ok(fs.existsSync(path.join(DIST, requires)), `${DIST} is built (cargo xtask dist): it has no ${requires}`);
    fs.mkdirSync(SHOTS, { recursive: true });
    site.server = await serve(DIST);
    site.url = site.server.url;
    site.browser = await launch();
    await setup?.(site);
  });
  after(async () => {
    try {
      await teardown?.(site);
    } finally {
      await site.browser?.close();
      await site.server?.close();
    }
  });
  return site;
}

/** Asserts that `page` recorded no console error, page error, failed request or CSP violation. */
export function clean(page, what = '') {
  assert.deepEqual(page.problems, [], `${what}: no console errors, page errors, failed requests or CSP violations`);
  return page;
}

export async function noPanic(page, what = '') {
  const banners = await page.locator('[data-panic]').allTextContents();
  assert.deepEqual(banners, [], `${what || page.url()}: the panic banner never shows`);
}

/** Polls `fn` (sync or async) until it returns a truthy value; returns it, or the last value on timeout. */
export async function until(fn, { timeout = 10000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let v;
  for (;;) {
    try { v = await fn(); } catch (e) { v = undefined; }
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Simulated time a widget (a locator) shows in its `time` readout, in seconds (NaN if it has
 * none: widgets without a transport; see `clockTime` for the partition toggles' clock too). */
export async function simTime(widget) {
  const t = widget.locator('[data-k=time]').first();
  if (!(await t.count())) return NaN;
  return parseFloat((await t.textContent()).replace(/,/g, ''));
}

/** True when some canvas pixel differs from the first one. */
export async function canvasDrawn(canvas) {
  return canvas.evaluate((c) => {
    if (!c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return true;
    return false;
  });
}

/** The most frequent opaque colour of a canvas, as [r, g, b] (its background). */
export async function canvasBackground(canvas) {
  return canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 16) {
      if (d[i + 3] < 250) continue;
      const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    let best = 0, n = -1;
    for (const [k, v] of counts) if (v > n) { best = k; n = v; }
    return n < 0 ? null : [best >> 16, (best >> 8) & 255, best & 255];
  });
}

/** Relative luminance (0..1) of an `rgb(...)` string or an [r, g, b] array. */
export function luminance(c) {
  const [r, g, b] = Array.isArray(c) ? c : c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

// ---------------------------------------------------------------------------------------------
// Widgets on article pages (the robustness tests: monkey, soak, pause; replay and talk).

/** Article slugs, from the built site (so a new article joins every test automatically). */
export function articleSlugs() {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST} is built (cargo xtask dist)`);
  const dir = path.join(DIST, 'articles');
  const slugs = fs.readdirSync(dir).filter((s) => fs.existsSync(path.join(dir, s, 'index.html'))).sort();
  assert.ok(slugs.length >= 1, 'at least one article');
  return slugs;
}

/** Opens an article and waits until every widget slot has its widget mounted. */
export async function openArticle(page, base, slug) {
  await page.goto(`${base}/articles/${slug}/`);
  await page.waitForSelector('article h1');
  await page.waitForFunction(() => {
    const slots = [...document.querySelectorAll('.widget-slot')];
    return slots.length > 0 && slots.every((s) => s.querySelector('figure[data-widget]'));
  }, null, { timeout: 30000 });
}

/**
 * Where a widget shows its simulated clock: the readout of animated widgets, or the screen-reader
 * line of widgets that run in real time without a transport (partition toggles).
 */
export const CLOCK = '[data-k=time], .sr-time';

// A widget without a CLOCK readout (the secrets playhead shows credential months, not seconds)
// is clocked by its timeline's `data-now`, the µs of its run. In the page (each evaluate carries
// its own copy):
//   const el = f.querySelector(CLOCK) ?? f.querySelector('[data-action=scrub][data-now]');
//   const read = (el) => el.dataset.now !== undefined ? Number(el.dataset.now) / 1e6
//     : parseFloat(el.textContent.replace(/,/g, '').replace(/^[^\d-]+/, ''));

/**
 * The widgets on the open page: slot index, name, whether it has a transport (Play/Pause), and
 * whether it shows a simulated clock.
 */
export async function widgetsOnPage(page) {
  return page.evaluate((CLOCK) => [...document.querySelectorAll('.widget-slot')].map((slot, index) => {
    const f = slot.querySelector('figure[data-widget]');
    return { index, name: f.dataset.widget, animated: !!f.querySelector('[data-action=play]'), clock: !!(f.querySelector(CLOCK) ?? f.querySelector('[data-action=scrub][data-now]')) };
  }), CLOCK);
}

/** Locator of the widget in slot `index`. */
export function widgetAt(page, index) {
  return page.locator('.widget-slot').nth(index).locator('figure[data-widget]');
}

/** Simulated time shown by a widget's clock (CLOCK), in seconds (NaN if it has none). */
export async function clockTime(widget) {
  return widget.evaluate((f, CLOCK) => {
    const t = f.querySelector(CLOCK) ?? f.querySelector('[data-action=scrub][data-now]');
    const read = (el) => el.dataset.now !== undefined ? Number(el.dataset.now) / 1e6
      : parseFloat(el.textContent.replace(/,/g, '').replace(/^[^\d-]+/, ''));
    return t ? read(t) : NaN;
  }, CLOCK);
}

/** Waits until `widget`'s simulated time exceeds `t`; returns the time seen. */
export async function waitSimPast(page, widget, t, timeout = 20000) {
  const h = await widget.elementHandle();
  await page.waitForFunction(([f, t, CLOCK]) => {
    const el = f.querySelector(CLOCK) ?? f.querySelector('[data-action=scrub][data-now]');
    const read = (el) => el.dataset.now !== undefined ? Number(el.dataset.now) / 1e6
      : parseFloat(el.textContent.replace(/,/g, '').replace(/^[^\d-]+/, ''));
    return el && read(el) > t;
  }, [h, t, CLOCK], { timeout, polling: 50 });
  return clockTime(widget);
}

/** mulberry32: a small deterministic PRNG; returns floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, for deriving per-widget seeds. */
export function hash32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Presses Pause if the widget is playing, Play if it is paused, to reach `playing`. */
export async function setPlaying(widget, playing) {
  const play = widget.locator('[data-action=play]');
  if ((await play.getAttribute('aria-pressed')) !== String(playing)) await play.click();
  assert.equal(await play.getAttribute('aria-pressed'), String(playing), `the transport shows ${playing ? 'playing' : 'paused'}`);
}

/** Selects the fastest option of the widget's speed control; returns its label ("10×"). */
export async function maxSpeed(widget) {
  const speed = widget.locator('select[data-action=speed]');
  const opts = await speed.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  // The fastest is the largest multiplier, wherever it sits in the list.
  const best = opts.reduce((a, b) => (parseFloat(b[1]) > parseFloat(a[1]) ? b : a));
  await speed.selectOption(best[0]);
  return best[1];
}

/** Scrolls (instantly, whatever the page's scroll-behavior) so the widget is centred in the viewport. */
export async function scrollIntoView(widget) {
  await widget.evaluate((f) => f.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' }));
}

/**
 * Scrolls until no pixel of the widget is in the viewport (below it if the page is long enough,
 * else above it) and waits until an IntersectionObserver of our own agrees.
 */
export async function scrollOffScreen(page, widget) {
  const h = await widget.elementHandle();
  const out = await page.evaluate(async (f) => {
    const r = f.getBoundingClientRect();
    const top = r.top + scrollY, bottom = r.bottom + scrollY;
    const maxY = document.documentElement.scrollHeight - innerHeight;
    const after = bottom + 40; // the widget ends above the viewport
    const before = top - innerHeight - 40; // the widget starts below the viewport
    window.scrollTo({ top: after <= maxY ? after : Math.max(0, before), behavior: 'instant' });
    const deadline = performance.now() + 10000;
    while (performance.now() < deadline) {
      const intersecting = await new Promise((resolve) => {
        const io = new IntersectionObserver((es) => { io.disconnect(); resolve(es[es.length - 1].isIntersecting); });
        io.observe(f);
      });
      if (!intersecting) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }, h);
  assert.ok(out, 'the widget can be scrolled fully out of view');
}

/**
 * Emulates the tab being hidden (or visible again): headless Chromium keeps every page visible
 * even when another tab is brought to the front (`page2.bringToFront()` leaves
 * `document.visibilityState === 'visible'`), so override the document's visibility and fire
 * `visibilitychange` the way the browser does (at the document, bubbling to the window).
 */
export async function setTabHidden(page, hidden) {
  await page.evaluate((hidden) => {
    if (!('__tabHidden' in window)) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__tabHidden ? 'hidden' : 'visible') });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__tabHidden });
    }
    window.__tabHidden = hidden;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

/**
 * Records every value the widget's clock shows, with `performance.now()`, into
 * `window.__timeline[key]` (a MutationObserver, so nothing between two polls is missed).
 */
export async function recordTimeline(widget, key) {
  await widget.evaluate((f, [key, CLOCK]) => {
    const el = f.querySelector(CLOCK) ?? f.querySelector('[data-action=scrub][data-now]');
    const read = () => el.dataset.now !== undefined ? Number(el.dataset.now) / 1e6
      : parseFloat(el.textContent.replace(/,/g, '').replace(/^[^\d-]+/, ''));
    window.__timeline ??= {};
    const log = (window.__timeline[key] = [{ at: performance.now(), v: read() }]);
    new MutationObserver(() => {
      const v = read();
      if (v !== log[log.length - 1].v) log.push({ at: performance.now(), v });
    }).observe(el, { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ['data-now'] });
  }, [key, CLOCK]);
}

export async function timeline(page, key) {
  return page.evaluate((key) => window.__timeline[key].slice(), key);
}
