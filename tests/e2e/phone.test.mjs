// End-to-end: on a phone (390 px wide) every label a widget draws in SVG or HTML stays legible
// (at least 11 px once scaled), at the largest settings too. Chart text on canvases is checked
// natively (src/charts.rs: every chart font is 11 px or more at scale 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useSite, SHOTS, clean } from './helpers.mjs';

const site = useSite();
const MIN_PX = 11;

/** The smallest rendered font size among the visible text of the widget (SVG text scaled by its
 * transform to the screen; HTML text by its computed size), with the text that has it. */
const smallest = (page) => page.evaluate(() => {
  const fig = document.querySelector('figure[data-widget]');
  let min = Infinity, which = '';
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden'; };
  for (const t of fig.querySelectorAll('svg text')) {
    const ctm = t.getScreenCTM();
    if (!ctm || !t.textContent.trim() || !visible(t)) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
    if (px < min) { min = px; which = t.textContent.trim(); }
  }
  const walker = document.createTreeWalker(fig, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg') || !visible(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < min) { min = px; which = n.textContent.trim().slice(0, 40); }
  }
  return { min: Math.round(min * 10) / 10, which };
});

test('at 390 px every widget keeps its labels at 11 px or more', async () => {
  const page = await site.newPage({ width: 390, height: 844 });
  // Every widget embed.js knows (its list of names), each on its own embed page.
  const script = await (await page.request.get(site.url + '/embed.js')).text();
  const widgets = [...new Set([...script.matchAll(/"([a-z]+(?:-[a-z]+)*)"/g)].map((m) => m[1]))];
  const known = [];
  for (const name of widgets) {
    const res = await page.goto(`${site.url}/embed/${name}/`);
    if (!res || res.status() !== 200 || !(await page.locator('body[data-widget]').count())) continue;
    known.push(name);
    // The largest settings crowd a picture the most.
    for (const q of ['', name === 'partition-toggles' ? '?replicas=7&clients=4' : null].filter((x) => x !== null)) {
      if (q) await page.goto(`${site.url}/embed/${name}/${q}`);
      await page.waitForSelector('figure[data-widget]', { timeout: 30000 });
      await page.waitForTimeout(500);
      const s = await smallest(page);
      if (s.min < MIN_PX) await page.locator('figure[data-widget]').screenshot({ path: path.join(SHOTS, `phone-${name}.png`) });
      assert.ok(s.min >= MIN_PX, `${name}${q}: "${s.which}" renders at ${s.min} px on a phone`);
    }
  }
  assert.ok(known.length >= 15, `checked every widget (${known.join(', ')})`);
  clean(page, 'phone');
  await page.close();
});
