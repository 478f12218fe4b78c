// The timeline under every animated widget: scrub back and the picture, readouts and charts show
// that moment exactly (the numbers it showed when the run was there); scrub forward again to
// where it was; a share link made after a scrub reopens at that moment with the run's later
// interventions kept; the keyboard moves it (arrows, Shift, Home, End); an intervention after a
// scrub back starts a new branch; hostile playheads are clamped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, articleSlugs, clean, noPanic, openArticle, scrollIntoView, widgetAt, widgetsOnPage, setPlaying, canvasDrawn } from './helpers.mjs';

const site = useSite();
const NUMBERS = '[data-k]:not([data-k=tour]):not([data-k=log]):not([data-k=scrub-time]), table.results td, .node-value, .timeline .op text';

async function numbers(w) {
  return w.locator(NUMBERS).evaluateAll((els) => els.map((e) => `${e.dataset.k ?? e.className?.baseVal ?? e.tagName}: ${e.textContent.trim()}`));
}

const scrubber = (w) => w.locator('input[data-action=scrub]');
async function at(w) {
  return Number(await scrubber(w).inputValue());
}
async function end(w) {
  return Number(await scrubber(w).getAttribute('max'));
}
/** Drags the timeline to `t` (µs), as a pointer does: input events with the new value. */
async function scrubTo(w, t) {
  await scrubber(w).evaluate((r, t) => {
    r.value = String(t);
    r.dispatchEvent(new Event('input', { bubbles: true }));
  }, t);
}
async function steps(w, n) {
  for (let i = 0; i < n; i++) await w.locator('[data-action=step]').click();
}

test('timeline: every animated widget scrubs back and forth to exactly the moments it passed', async (t) => {
  const seen = new Set();
  for (const slug of articleSlugs()) {
    const scout = await site.newPage();
    await openArticle(scout, site.url, slug);
    const here = (await widgetsOnPage(scout)).filter((w) => !seen.has(w.name) && w.animated);
    await scout.context().close();
    for (const { index, name } of here) {
      if (seen.has(name)) continue;
      seen.add(name);
      await t.test(`${slug}/${name}`, async () => {
        const page = await site.newPage();
        await openArticle(page, site.url, slug);
        const w = widgetAt(page, index);
        await scrollIntoView(w);
        assert.equal(await scrubber(w).count(), 1, `${name} has a timeline`);
        assert.match(await scrubber(w).evaluate((r) => r.labels[0]?.textContent ?? ''), /Timeline/, 'labelled');
        await setPlaying(w, false);
        await w.locator('[data-action=reset]').click();
        await steps(w, 3);
        const faults = w.locator('.fault-buttons button[data-action]:not([disabled])');
        if (await faults.count()) {
          await faults.first().click();
          await setPlaying(w, false);
        }
        await steps(w, 2);
        const tA = await at(w);
        const atA = await numbers(w);
        await steps(w, 4);
        const tB = await at(w);
        const atB = await numbers(w);
        assert.ok(tB > tA && tA > 0, `${name}: the timeline follows the run (${tA} then ${tB})`);
        assert.equal(await end(w), tB, `${name}: the timeline ends where the run got to`);

        await scrubTo(w, tA);
        assert.equal(await at(w), tA, `${name}: scrubbed back`);
        assert.equal(await w.locator('[data-action=play]').getAttribute('aria-pressed'), 'false', 'scrubbing pauses');
        assert.deepEqual(await numbers(w), atA, `${name}: back at ${tA} it shows what it showed then`);
        assert.equal(await end(w), tB, `${name}: the timeline still ends at ${tB}`);
        for (const c of await w.locator('canvas').all()) {
          if (await c.isVisible()) assert.ok(await canvasDrawn(c), `${name}: its canvases are drawn after a scrub`);
        }
        // The link of the scrubbed moment reopens there, with the run's later interventions kept.
        await w.locator('[data-action=share]').click();
        const link = new URL(await w.locator('.share-link').inputValue());
        assert.equal(Number(link.searchParams.get('t') ?? 0), tA, `${name}: the link's playhead is the scrubbed moment`);
        const fresh = await site.newPage();
        await fresh.goto(link.href);
        const w2 = fresh.locator(`#w${link.searchParams.get('slot')} figure[data-widget=${name}]`);
        await w2.waitFor();
        await scrubber(w2).waitFor();
        assert.deepEqual(await numbers(w2), atA, `${name}: the scrubbed link shows the same moment`);
        await fresh.context().close();

        // Keyboard: End goes to the end of the run, Home to its start, arrows step.
        await scrubber(w).focus();
        await page.keyboard.press('End');
        assert.equal(await at(w), tB);
        assert.deepEqual(await numbers(w), atB, `${name}: End lands where the run had got to`);
        await page.keyboard.press('ArrowLeft');
        const left = await at(w);
        assert.ok(left < tB, `${name}: ← steps back (${left})`);
        await page.keyboard.press('Shift+ArrowLeft');
        assert.ok((await at(w)) < left, `${name}: Shift+← steps back further`);
        await page.keyboard.press('Home');
        assert.equal(await at(w), 0, `${name}: Home is the run's start`);
        assert.match(await scrubber(w).getAttribute('aria-valuetext'), / of /, 'the moment is spoken');

        // Play from a scrubbed moment continues from there; an intervention there starts a branch.
        await scrubTo(w, tA);
        await steps(w, 1);
        assert.ok((await at(w)) > tA, `${name}: Step continues from the scrubbed moment`);
        assert.equal(await end(w), tB, `${name}: and the run's later moments are still there`);
        if (await faults.count()) {
          // (A fault button also starts the run: at the slowest speed it stays short of tB.)
          await w.locator('select[data-action=speed]').selectOption({ index: 0 });
          await faults.last().click();
          await setPlaying(w, false);
          const [a, e] = [await at(w), await end(w)];
          assert.ok(a < tB && e === a, `${name}: an intervention after a scrub back replaces what came after (at ${a}, ends ${e}, was ${tB})`);
        }
        clean(page, name);
        await noPanic(page, name);
        await page.context().close();
      });
    }
  }
  assert.ok(seen.size >= 6, `every animated widget was tried: ${[...seen]}`);
});

test('timeline: a hostile playhead is clamped into the run and never shows NaN', async () => {
  const page = await site.newPage();
  for (const tq of ['-5', 'NaN', '1e30', '99999999999999999999', '0x10', '']) {
    await page.goto(`${site.url}/articles/reliability/?slot=0&t=${tq}&log=1000000.outage`);
    const w = page.locator('#w0 figure[data-widget]');
    await scrubber(w).waitFor();
    const [v, max] = [await at(w), await end(w)];
    assert.ok(Number.isFinite(v) && v >= 0 && v <= max, `t=${tq}: the timeline shows ${v} of ${max}`);
    assert.doesNotMatch(await w.textContent(), /NaN|Infinity|undefined/, `t=${tq}`);
    await noPanic(page, `t=${tq}`);
  }
  clean(page, 'hostile t');
  await page.context().close();
});

test('scenarios: every simulation offers at least four; each opens paused at its moment with what to watch for', async (t) => {
  const seen = new Set();
  for (const slug of articleSlugs()) {
    const scout = await site.newPage();
    await openArticle(scout, site.url, slug);
    const here = [];
    for (const w of await widgetsOnPage(scout)) {
      if (seen.has(w.name)) continue;
      if (await widgetAt(scout, w.index).locator('select[data-action=scenario]').count()) here.push(w);
      seen.add(w.name);
    }
    await scout.context().close();
    for (const { index, name } of here) {
      await t.test(`${slug}/${name}`, async () => {
        const page = await site.newPage();
        await openArticle(page, site.url, slug);
        const w = widgetAt(page, index);
        await scrollIntoView(w);
        const menu = w.locator('select[data-action=scenario]');
        const names = (await menu.locator('option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean);
        assert.ok(names.length >= 4, `${name}: ${names}`);
        assert.match(await menu.evaluate((s) => s.labels[0]?.textContent ?? ''), /Scenarios/);
        for (const n of names) {
          await menu.selectOption(n);
          const caption = w.locator('[data-k=scenario]');
          assert.ok(await caption.isVisible(), `${name}/${n}: its caption shows`);
          assert.match(await caption.textContent(), /watch for: \S/, `${name}/${n}`);
          const run = w.locator('[data-action=play], [data-action=run]').first();
          assert.equal(await run.getAttribute('aria-pressed'), 'false', `${name}/${n}: paused at its moment`);
          const at1 = await at(w);
          await page.waitForTimeout(300);
          assert.equal(await at(w), at1, `${name}/${n}: it stays paused`);
          // Its share link is the scenario's run: it reopens at the same moment.
          await w.locator('[data-action=share]').click();
          const link = new URL(await w.locator('.share-link').inputValue());
          assert.equal(Number(link.searchParams.get('t') ?? 0), at1, `${name}/${n}: the link's playhead`);
          assert.doesNotMatch(await w.textContent(), /NaN|Infinity|undefined/);
        }
        // ?scenario= names one directly; an unknown name is a note, not a failure.
        await page.goto(`${site.url}/articles/${slug}/?slot=${index}&scenario=${names[0]}`);
        const w2 = page.locator(`#w${index} figure[data-widget=${name}]`);
        await w2.locator('[data-k=scenario]').waitFor();
        assert.equal(await w2.locator('select[data-action=scenario]').inputValue(), names[0]);
        await page.goto(`${site.url}/articles/${slug}/?slot=${index}&scenario=nope`);
        const w3 = page.locator(`#w${index} figure[data-widget=${name}]`);
        await w3.waitFor();
        assert.match(await w3.locator('.widget-note').first().textContent(), /no scenario by that name/);
        clean(page, name);
        await noPanic(page, name);
        await page.context().close();
      });
    }
  }
  assert.ok([...seen].length >= 7);
});

test('timeline: partition-toggles (real time, no Step) scrubs a scenario back and forth', async () => {
  const page = await site.newPage();
  await openArticle(page, site.url, 'consistency');
  const index = (await widgetsOnPage(page)).find((w) => w.name === 'partition-toggles').index;
  await page.goto(`${site.url}/articles/consistency/?slot=${index}&scenario=split-brain`);
  const w = page.locator(`#w${index} figure[data-widget=partition-toggles]`);
  await scrubber(w).waitFor();
  await scrollIntoView(w);
  const end0 = await at(w);
  assert.equal(end0, 2_000_000, 'the scenario pauses at its 2 s');
  const atEnd = await numbers(w);
  await scrubTo(w, 700_000);
  const early = await numbers(w);
  assert.notDeepEqual(early, atEnd, 'at 0.7 s, before the partition, the picture differs');
  assert.equal(await w.locator('.timeline .op').count(), 1, 'one operation so far: the first write');
  await scrubber(w).focus();
  await page.keyboard.press('End');
  assert.deepEqual(await numbers(w), atEnd, 'End: back at the split brain');
  // Resume runs on in real time from the scrubbed moment.
  await w.locator('[data-action=run]').click();
  await page.waitForTimeout(500);
  assert.ok((await at(w)) > end0, 'resumed');
  clean(page, 'partition-toggles');
  await noPanic(page, 'partition-toggles');
  await page.context().close();
});
