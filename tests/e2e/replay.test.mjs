// Share links replay a run: settings, seed, the reader's interventions (an outage, a policy
// switch mid-storm) and the playhead. Opening the link in a fresh page must show the same numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, articleSlugs, clean, noPanic, openArticle, scrollIntoView, widgetAt, widgetsOnPage } from './helpers.mjs';

const site = useSite();

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
  const page = await site.newPage();
  await page.goto(site.url + '/articles/reliability/');
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

  const fresh = await site.newPage();
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

// Every widget, present and future: change a setting, run some steps with an intervention, share,
// open the link in a fresh page and compare every number the widget shows.
const NUMBERS = '[data-k]:not([data-k=tour]):not([data-k=log]):not([data-k=scrub-time]), table.results td, .node-value, .timeline .op text';

async function numbers(w) {
  await w.page().waitForFunction((f) => !/Running…/.test(f.querySelector('[data-k=progress]')?.textContent ?? ''), await w.elementHandle(), { timeout: 30000 });
  return w.locator(NUMBERS).evaluateAll((els) => els.map((e) => `${e.dataset.k ?? e.className?.baseVal ?? e.tagName}: ${e.textContent.trim()}`));
}

/** Moves the widget's first enabled slider (or, failing that, select) to another value. */
async function changeSetting(w) {
  const range = w.locator('input[type=range]:not([disabled])').first();
  if (await range.count()) {
    const [min, max, value] = await range.evaluate((r) => [+r.min, +r.max, +r.value]);
    const to = value === max ? min : max;
    await range.evaluate((r, to) => { r.value = String(to); r.dispatchEvent(new Event('input', { bubbles: true })); r.dispatchEvent(new Event('change', { bubbles: true })); }, to);
    return;
  }
  const select = w.locator('.controls-grid select').first();
  const n = await select.locator('option').count();
  const i = await select.evaluate((s) => s.selectedIndex);
  await select.selectOption({ index: (i + 1) % n });
}

async function faultButtons(w) {
  return w.locator('.fault-buttons button[data-action]');
}

async function exercise(page, w) {
  if (await w.locator('[data-action=step]').count()) {
    await changeSetting(w);
    const play = w.locator('[data-action=play]');
    const pause = async () => { if ((await play.getAttribute('aria-pressed')) === 'true') await play.click(); };
    await pause();
    await w.locator('[data-action=reset]').click();
    for (let i = 0; i < 3; i++) await w.locator('[data-action=step]').click();
    const faults = await faultButtons(w);
    await faults.last().click();
    await pause();
    for (let i = 0; i < 4; i++) await w.locator('[data-action=step]').click();
    return 'run';
  }
  if (await w.locator('[data-link]').count()) {
    await w.locator('[data-link]').first().click(); // cut a replica link
    await w.locator('[data-action^=write-]').first().click();
    await page.waitForTimeout(1200);
    await w.locator('[data-action^=read-]').last().click();
    await page.waitForTimeout(1500);
    return 'run';
  }
  await changeSetting(w);
  return 'settings';
}

test('share round trip: every widget reopens from its link showing the same numbers', async (t) => {
  const seen = new Set();
  for (const slug of articleSlugs()) {
    const scout = await site.newPage();
    await openArticle(scout, site.url, slug);
    const here = (await widgetsOnPage(scout)).filter((w) => !seen.has(w.name));
    await scout.context().close();
    for (const { index, name } of here) {
      seen.add(name);
      await t.test(`${slug}/${name}#${index}`, async () => {
        const page = await site.newPage();
        await openArticle(page, site.url, slug);
        const w = widgetAt(page, index);
        await scrollIntoView(w);
        const kind = await exercise(page, w);
        const before = await numbers(w);
        assert.ok(before.length >= 2, `${name} shows numbers: ${before}`);
        await w.locator('[data-action=share]').click();
        const link = await w.locator('.share-link').inputValue();
        const url = new URL(link);
        if (kind === 'run') assert.ok(url.searchParams.get('log'), `${name}: the link logs the run: ${link}`);

        const fresh = await site.newPage();
        await fresh.goto(link);
        const w2 = fresh.locator(`#w${url.searchParams.get('slot')} figure[data-widget=${name}]`);
        await w2.waitFor();
        const after = await numbers(w2);
        assert.deepEqual(after, before, `${name}: the same numbers from ${link}`);
        if (await w2.locator('[data-action=step]').count()) {
          assert.equal(await w2.locator('[data-action=play]').getAttribute('aria-pressed'), 'false', 'a replayed run opens paused');
          await w.locator('[data-action=step]').click();
          await w2.locator('[data-action=step]').click();
          assert.deepEqual(await numbers(w2), await numbers(w), `${name}: one more step, still identical`);
        }
        clean(page, name);
        clean(fresh, `${name} (shared)`);
        await noPanic(fresh, name);
        await page.context().close();
        await fresh.context().close();
      });
    }
  }
  assert.ok(seen.size >= 7, `every widget was tried: ${[...seen]}`);
});

// Bad links, per widget: a table of malformed and extreme values for every one of the widget's
// own keys (read from its controls), plus a hostile playhead and run log. Each loads clamped,
// with a note, without NaN, console errors or a panic, and the widget still responds.
const BAD = [
  ['huge', () => '1e308'],
  ['negative huge', () => '-1e308'],
  ['NaN', () => 'NaN'],
  ['Infinity', () => 'Infinity'],
  ['bad escape', () => '%zz'],
  ['long', () => '9'.repeat(500)],
  ['junk', () => '<script>x</script>'],
];

test('bad links per widget: every key malformed or extreme, plus hostile t= and log=', async (t) => {
  const seen = new Set();
  for (const slug of articleSlugs()) {
    const scout = await site.newPage();
    await openArticle(scout, site.url, slug);
    const here = [];
    for (const w of await widgetsOnPage(scout)) {
      if (seen.has(w.name)) continue;
      seen.add(w.name);
      const keys = await widgetAt(scout, w.index).locator('[data-key]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.key))]);
      here.push({ ...w, keys });
    }
    await scout.context().close();
    for (const { index, name, keys } of here) {
      await t.test(name, async () => {
        assert.ok(keys.length >= 1, `${name} has controls with data-key`);
        const page = await site.newPage();
        const cases = BAD.map(([what, v]) => [what, keys.map((k) => `${k}=${encodeURIComponent(v())}`).join('&')]);
        cases.push(['hostile run', `${keys[0]}=1e308&seed=-1&t=99999999999999999999&log=abc,1.zz!,5.outage,${'7.x,'.repeat(200)}`]);
        cases.push(['duplicates and unknown keys', `${keys[0]}=1e308&${keys[0]}=2&zzz=1&&&=&preset=nope`]);
        for (const [what, q] of cases) {
          await page.goto(`${site.url}/articles/${slug}/?slot=${index}&${q}`);
          const w = page.locator(`#w${index} figure[data-widget=${name}]`);
          await w.waitFor();
          await page.waitForTimeout(150);
          assert.ok(await w.locator('.widget-note').count() >= 1, `${name}, ${what}: a note explains the repair`);
          assert.doesNotMatch(await w.textContent(), /NaN|Infinity|undefined/, `${name}, ${what}: nothing broken on screen`);
          await noPanic(page, `${name}, ${what}`);
        }
        // and it still responds
        const before = await w2text(page, index);
        await page.locator(`#w${index} figure [data-key] input, #w${index} figure [data-key] select`).first().evaluate((el) => {
          if (el.tagName === 'SELECT') el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
          else el.value = el.value === el.min ? el.max : el.min;
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
        });
        await page.waitForFunction(([i, b]) => document.querySelector(`#w${i} figure`).textContent !== b, [index, before], { timeout: 10000 });
        clean(page, name);
        await page.context().close();
      });
    }
  }
  assert.ok(seen.size >= 7, `every widget was tried: ${[...seen]}`);
});

async function w2text(page, index) {
  return page.locator(`#w${index} figure`).evaluate((f) => f.textContent);
}
