// End-to-end: a talk slide shows its widget focused on the settings its slides block names
// (`controls:`), enlarged to the slide; "More settings" unfolds the rest and folds them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useSite, SHOTS, clean } from './helpers.mjs';

const site = useSite();

test('a slide shows the named controls, larger; More settings shows the others', async () => {
  const page = await site.newPage({ width: 1920, height: 1080 });
  await page.goto(site.url + '/talk/scaling/?slide=4');
  const slide = page.locator('.deck > .slide.is-current');
  const w = slide.locator('.slide-widget[data-focus]');
  await w.locator('figure[data-widget="scaling-cost"]').waitFor({ timeout: 30000 });
  const visible = async () => (await w.locator('.control[data-key]').evaluateAll((cs) => cs.filter((c) => c.offsetParent !== null).map((c) => c.dataset.key))).sort();
  assert.deepEqual(await visible(), ['alpha', 'beta', 'load'], 'only the slide\'s three settings');
  // The folded widget is enlarged to its slide, and still fits it.
  await page.waitForFunction(() => parseFloat(document.querySelector('.slide.is-current .slide-widget').style.zoom || '1') > 1.05, null, { timeout: 10000 });
  const fits = () => page.evaluate(() => {
    const h = document.querySelector('.slide.is-current .slide-widget');
    return h.getBoundingClientRect().bottom <= h.parentElement.getBoundingClientRect().bottom + 2;
  });
  assert.ok(await fits(), 'the enlarged widget fits its slide');
  await page.screenshot({ path: path.join(SHOTS, 'slide-focus.png') });
  const more = slide.locator('button.slide-more');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.click();
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  assert.ok((await visible()).length > 3, 'every setting after More settings');
  await page.waitForFunction(() => {
    const h = document.querySelector('.slide.is-current .slide-widget');
    return h.getBoundingClientRect().bottom <= h.parentElement.getBoundingClientRect().bottom + 2;
  }, null, { timeout: 10000 });
  await more.click();
  assert.deepEqual(await visible(), ['alpha', 'beta', 'load'], 'folded again');
  clean(page, 'slide focus');
  await page.close();
});
