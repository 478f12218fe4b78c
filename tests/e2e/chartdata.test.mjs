// "Show as table" under charts: the same series as an HTML table (sampled, with a caption and
// column headings; a categorical chart's rows headed by their labels), a CSV download of every
// row and a PNG of the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { useSite, articleSlugs, clean, noPanic, openArticle, scrollIntoView } from './helpers.mjs';

const site = useSite();

// Every widget that draws a chart of data, and so must list it (queue-semantics and
// partition-toggles join when they have theirs; scaling-lever and telemetry-budget draw none).
const CHARTED = [
  'api-roundtrips', 'backoff-jitter', 'branch-lifetime', 'burn-rate', 'cloud-fit', 'conway',
  'decision-matrix', 'queue-vs-log', 'quorum-sliders', 'retry-storm', 'rollout', 'scaling-cost',
  'schema-evolution', 'secrets', 'service-split', 'timeout-pool', 'token-lifetime',
];
// At least this many charts with their data across the site (a lost table fails).
const MIN_CHARTS = 40;

// A CSV field: a quoted label (a quote inside doubled) or a plain number (empty: no value).
const LABEL = '"(?:[^"]|"")*"';
const NUMBER = '-?[\\d.]*';
const numbersRow = new RegExp(`^-?[\\d.]+(,${NUMBER})*$`);
const labelledRow = new RegExp(`^${LABEL}(,${NUMBER})+$`);

test('every chart with data: its table, its CSV and its PNG', async (t) => {
  let seen = 0;
  const widgets = new Set();
  // Chromium lets a page start about ten downloads in a burst and drops the rest (fourteen quick
  // clicks on one button gave ten files), so a page that has started eight makes way for a fresh
  // one, which goes on from the same chart.
  const fresh = async (slug, old) => {
    if (old) {
      clean(old, slug);
      await noPanic(old, slug);
      await old.context().close();
    }
    const page = await site.newPage();
    await openArticle(page, site.url, slug);
    return page;
  };
  for (const slug of articleSlugs()) {
    let page = await fresh(slug);
    let downloads = 0;
    const n = await page.locator('details.chart-data').count();
    for (let i = 0; i < n; i++) {
      if (downloads >= 8) {
        page = await fresh(slug, page);
        downloads = 0;
      }
      downloads += 2;
      const d = page.locator('details.chart-data').nth(i);
      const widget = await d.evaluate((e) => e.closest('figure[data-widget]').dataset.widget);
      const chart = await d.evaluate((e) => e.previousElementSibling?.getAttribute('aria-label'));
      await t.test(`${slug} ${widget}: ${chart}`, async () => {
        assert.ok(chart, 'the table sits right under its chart');
        await scrollIntoView(d);
        // A few steps so the charts have rows; a leak before and after them where the widget
        // has leaks to list.
        const fig = d.locator('xpath=ancestor::figure[@data-widget][1]');
        const step = fig.locator('[data-action=step]');
        const leak = fig.locator('[data-action=leak]');
        if (await leak.count()) await leak.click();
        if (await step.count()) for (let k = 0; k < 3; k++) await step.click();
        if (await leak.count()) await leak.click();
        await d.locator('summary').click();
        const table = d.locator('table');
        await table.waitFor();
        assert.ok((await table.locator('caption').textContent()).length > 10, 'a caption');
        const heads = await table.locator('thead th').allTextContents();
        assert.ok(heads.length >= 2, `headings: ${heads}`);
        const rows = await table.locator('tbody tr').count();
        assert.ok(rows >= 2 && rows <= 21, `${rows} rows`);
        assert.doesNotMatch(await table.textContent(), /NaN|Infinity|undefined/);
        const first = (await table.locator('tbody tr').first().locator('th').textContent()).trim();
        assert.ok(first.length > 0, 'each row has its heading');
        const [csv] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action=csv]').click()]);
        assert.match(csv.suggestedFilename(), new RegExp(`^${widget}(-[a-z0-9]+)*\\.csv$`), 'named after the widget');
        const text = fs.readFileSync(await csv.path(), 'utf8');
        const lines = text.trim().split('\r\n');
        assert.equal(lines[0], heads.map((h) => `"${h.replaceAll('"', '""')}"`).join(','), 'the CSV has the table\'s columns');
        assert.ok(lines.length - 1 >= rows, 'and every row');
        const labelled = lines[1].startsWith('"');
        for (const l of lines.slice(1)) {
          assert.match(l, labelled ? labelledRow : numbersRow, `a ${labelled ? 'label and numbers' : 'row of plain numbers'}: ${l}`);
        }
        if (labelled) {
          assert.equal(lines[1].match(new RegExp(`^${LABEL}`))[0].slice(1, -1).replaceAll('""', '"'), first, 'the CSV\'s rows carry the labels the table shows');
        }
        const [png] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action=png]').click()]);
        assert.match(png.suggestedFilename(), /\.png$/);
        const bytes = fs.readFileSync(await png.path());
        assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
        assert.ok(bytes.length > 2000, 'of a drawn chart');
        seen++;
        widgets.add(widget);
      });
    }
    clean(page, slug);
    await noPanic(page, slug);
    await page.context().close();
  }
  const missing = CHARTED.filter((w) => !widgets.has(w));
  assert.deepEqual(missing, [], 'every charted widget on the site lists its chart\'s data');
  assert.ok(seen >= MIN_CHARTS, `${seen} charts have their data (at least ${MIN_CHARTS})`);
});
