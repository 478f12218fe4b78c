// Share links replay a run: settings, seed, the reader's interventions (an outage, a policy
// switch mid-storm) and the playhead. Opening the link in a fresh page must show the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.TRADEOFFS_DIST ?? path.join(ROOT, 'dist');
let server, browser;
before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), 'dist/ is built');
  server = await serve(DIST);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const KEYS = ['time', 'goodput', 'amplification', 'queue', 'wasted', 'p99', 'recovery'];
async function readouts(w) {
  const out = {};
  for (const k of KEYS) {
    const el = w.locator(`[data-k=${k}]`).first();
    out[k] = (await el.count()) ? (await el.textContent()).trim() : null;
  }
  return out;
}

test('retry storm: a share link replays the outage and a mid-storm policy switch exactly', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + '/articles/reliability/');
  const w = page.locator('figure[data-widget=retry-storm]').first();
  await w.scrollIntoViewIfNeeded();
  await w.locator('[data-action=step]').waitFor();
  const play = w.locator('[data-action=play]');
  if ((await play.textContent()).includes('Pause')) await play.click();
  await w.locator('[data-action=reset]').click();
  for (let i = 0; i < 5; i++) await w.locator('[data-action=step]').click();
  await w.locator('[data-action=outage]').click(); // starts playing
  if ((await play.textContent()).includes('Pause')) await play.click();
  for (let i = 0; i < 8; i++) await w.locator('[data-action=step]').click();
  await w.locator('[data-key=jitter] select').selectOption({ index: 1 });
  for (let i = 0; i < 6; i++) await w.locator('[data-action=step]').click();
  const before = await readouts(w);
  await w.locator('[data-action=share]').click();
  const link = await w.locator('.share-link').inputValue();
  const url = new URL(link);
  assert.match(url.searchParams.get('log') ?? '', /\.outage/, `the link logs the outage: ${link}`);
  assert.match(url.searchParams.get('log') ?? '', /\.set\.jitter\./, 'and the policy switch');
  assert.ok(Number(url.searchParams.get('t')) > 0, 'and the playhead');
  assert.deepEqual(page.problems, []);

  const fresh = await newPage(browser);
  await fresh.goto(link);
  const slot = url.searchParams.get('slot');
  const w2 = fresh.locator(`#w${slot} figure[data-widget=retry-storm]`);
  await w2.locator('[data-k=time]').waitFor();
  assert.equal(await w2.locator('[data-action=play]').textContent().then((t) => t.includes('Play')), true, 'a replayed run opens paused');
  assert.deepEqual(await readouts(w2), before, 'the same numbers after replay');
  // and it carries on identically
  await w.locator('[data-action=step]').click();
  await w2.locator('[data-action=step]').click();
  assert.deepEqual(await readouts(w2), await readouts(w), 'one more step: still identical');
  assert.deepEqual(fresh.problems, []);
});
