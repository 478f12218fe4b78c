// End-to-end: "Decision note" on every widget — shown before copying (selectable where the
// clipboard is blocked), Markdown or plain text, with the settings, key numbers, the run so far
// for simulations, and a link that reopens the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, clean, noPanic, articleSlugs, openArticle, widgetsOnPage, widgetAt, setPlaying } from './helpers.mjs';

const site = useSite();

/** Opens a widget's note and returns its text. */
async function openNote(widget) {
  const button = widget.locator('[data-action=note]');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const box = widget.locator('[data-k=note] textarea');
  await box.waitFor({ state: 'visible' });
  return box.inputValue();
}

test('every widget on every article has a decision note with its question, settings, numbers and link', async () => {
  const page = await site.newPage({ width: 1280, height: 900 });
  for (const slug of articleSlugs()) {
    await openArticle(page, site.url, slug);
    for (const w of await widgetsOnPage(page)) {
      const widget = widgetAt(page, w.index);
      // A running simulation's numbers move on: pause it, then Step, which shows the moment it
      // stops at, so the page and the note describe the same moment.
      if (w.animated) {
        await widget.scrollIntoViewIfNeeded();
        await setPlaying(widget, false);
        await widget.locator('[data-action=step]').first().click();
        await page.waitForTimeout(400);
      }
      const md = await openNote(widget);
      const what = `${slug} #${w.index} ${w.name}`;
      assert.match(md, /^### Decision note: /, `${what}: a heading`);
      assert.match(md, /\*\*Question\.\*\* .+\?\n/, `${what}: the question`);
      assert.match(md, /\| Setting \| Value \|\n\|---\|---\|\n(\| .+ \| .+ \|\n)+/, `${what}: the settings table`);
      assert.match(md, /\*\*Key numbers\*\*\n\n(- .+: .+\n){2,}/, `${what}: key numbers`);
      assert.match(md, /\*\*Sources\*\*\n\n- .+\d{4}/, `${what}: sources with years`);
      assert.doesNotMatch(md, /NaN|undefined|\binf\b/, `${what}: no broken numbers`);
      // The readouts the page shows are the ones the note lists.
      const shown = await widget.locator('dl.readout dd').evaluateAll((dds) => dds.map((d) => d.textContent.trim()).filter(Boolean));
      for (const v of shown.slice(0, 4)) assert.ok(md.includes(v.replace(/([|*_`[\]<>\\])/g, '\\$1')), `${what}: the note has the readout "${v}"`);
      const link = md.match(/Exact state: <([^>]+)>/)?.[1];
      assert.ok(link && new URL(link).searchParams.has('slot'), `${what}: the exact-state link (${link})`);
      if (w.animated) assert.match(md, /\*\*The run so far\*\*\n\n- at /, `${what}: the run so far`);
      await widget.locator('[data-action=note]').click(); // close it again
    }
    await noPanic(page, slug);
  }
  clean(page, 'decision notes');
  await page.context().close();
});

test('a note follows the settings, switches to plain text, copies, and its link reopens the state', async () => {
  const page = await site.newPage({ width: 1280, height: 900 }, { permissions: ['clipboard-read', 'clipboard-write'] });
  await openArticle(page, site.url, 'scaling');
  const all = await widgetsOnPage(page);
  const w = all.find((x) => x.name === 'scaling-cost');
  const widget = widgetAt(page, w.index);
  const slider = widget.locator('[data-key=load] input[type=range]');
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const load = await slider.inputValue();
  const md = await openNote(widget);
  const shown = Number(load).toLocaleString('en-US');
  assert.ok(md.includes(`| Target load | ${shown} req/s |`), `the note has the moved slider (${shown}): ${md}`);
  await widget.locator('select[data-action=note-format]').selectOption('plain');
  const plain = await widget.locator('[data-k=note] textarea').inputValue();
  assert.match(plain, /^Decision note: Scaling cost\n/);
  assert.ok(plain.includes(`  Target load: ${shown} req/s\n`) && !plain.includes('| Setting |'), 'plain text has no Markdown table');
  await widget.locator('[data-action=copy-note]').click();
  await widget.locator('[data-k=note] [role=status]').filter({ hasText: 'Note copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), plain, 'the clipboard has the note shown');
  const link = plain.match(/Exact state: (\S+)/)[1];
  await page.goto(link);
  await page.waitForSelector(`.widget-slot figure[data-widget=scaling-cost]`);
  assert.equal(await widgetAt(page, w.index).locator('[data-key=load] input[type=range]').inputValue(), load, 'the link reopens the settings');
  clean(page, 'note copy');
  await page.context().close();
});

test('an embedded widget has its note too, a repaired link says so, and a simulation tells its run', async () => {
  const page = await site.newPage({ width: 900, height: 900 });
  await page.goto(site.url + '/embed/scaling-cost/?load=99999999&alpha=oops');
  const widget = page.locator('figure[data-widget=scaling-cost]');
  await widget.waitFor({ timeout: 30000 });
  const md = await openNote(widget);
  assert.match(md, /Settings repaired when the link was opened: “load”/, md);
  assert.match(md, /Exact state: <[^>]*\/embed\/scaling-cost\/\?[^>]*load=200000/, 'an embed links to its own page');

  await page.goto(site.url + '/embed/retry-storm/');
  const storm = page.locator('figure[data-widget=retry-storm]');
  await storm.locator('[data-action=step]').waitFor({ timeout: 30000 });
  const play = storm.locator('[data-action=play]');
  if ((await play.textContent()).includes('Pause')) await play.click();
  await storm.locator('[data-action=reset]').click();
  for (let i = 0; i < 5; i++) await storm.locator('[data-action=step]').click();
  await storm.locator('[data-action=outage]').click(); // starts playing
  if ((await play.textContent()).includes('Pause')) await play.click();
  for (let i = 0; i < 8; i++) await storm.locator('[data-action=step]').click();
  const run = await openNote(storm);
  assert.match(run, /\*\*The run so far\*\*\n\n- at 0 s: /, run);
  assert.match(run, /- at \d+(\.\d)? s: .*outage/i, 'the outage is in the run');
  assert.match(run, /Exact state: <[^>]*log=[^>]*outage/, 'the link carries the run');
  await noPanic(page, 'embed notes');
  clean(page, 'embed notes');
  await page.context().close();
});
