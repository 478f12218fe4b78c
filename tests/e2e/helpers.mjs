// Shared helpers for the e2e tests that run more than one page per browser context (talk
// presenter windows, popups) or poll the widgets' readouts and canvases.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built site under test: `TRADEOFFS_DIST` when set (a private copy), else dist/. */
export const DIST = process.env.TRADEOFFS_DIST ? path.resolve(process.env.TRADEOFFS_DIST) : path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'target/e2e');

/** Problem tracking for pages opened in an existing context (presenter windows, popups). */
export { watch } from './browser.mjs';

export function clean(page, what = '') {
  assert.deepEqual(page.problems, [], `${what}: no console errors, page errors, failed requests or CSP violations`);
  return page;
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

/** Simulated time shown by a widget (a locator), in seconds (NaN if it has none). */
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
