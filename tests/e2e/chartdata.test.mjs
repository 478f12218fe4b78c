// "Show as table" under charts: the same series as an HTML table (sampled, with a caption and
// column headings), a CSV download of every row and a PNG of the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { useSite, articleSlugs, clean, noPanic, openArticle, scrollIntoView } from './helpers.mjs';

const site = useSite();

test('every chart with data: its table, its CSV and its PNG', async (t) => {
  let seen = 0;
  for (const slug of articleSlugs()) {
    const page = await site.newPage();
    await openArticle(page, site.url, slug);
    const all = page.locator('details.chart-data');
    const n = await all.count();
    for (let i = 0; i < n; i++) {
      const d = all.nth(i);
      const name = await d.evaluate((e) => e.closest('figure[data-widget]').dataset.widget + ': ' + e.querySelector('.btn').closest('details').previousElementSibling?.getAttribute('aria-label'));
      await t.test(`${slug} ${name}`, async () => {
        await scrollIntoView(d);
        // A few steps so the charts have rows.
        const fig = d.locator('xpath=ancestor::figure[@data-widget][1]');
        const step = fig.locator('[data-action=step]');
        if (await step.count()) for (let k = 0; k < 3; k++) await step.click();
        await d.locator('summary').click();
        const table = d.locator('table');
        await table.waitFor();
        assert.ok((await table.locator('caption').textContent()).length > 10, 'a caption');
        const heads = await table.locator('thead th').allTextContents();
        assert.ok(heads.length >= 2, `headings: ${heads}`);
        const rows = await table.locator('tbody tr').count();
        assert.ok(rows >= 2 && rows <= 21, `${rows} rows`);
        assert.doesNotMatch(await table.textContent(), /NaN|Infinity|undefined/);
        const [csv] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action=csv]').click()]);
        assert.match(csv.suggestedFilename(), /\.csv$/);
        const text = fs.readFileSync(await csv.path(), 'utf8');
        const lines = text.trim().split('\r\n');
        assert.equal(lines[0], heads.map((h) => `"${h}"`).join(','), 'the CSV has the table\'s columns');
        assert.ok(lines.length - 1 >= rows, 'and every row');
        for (const l of lines.slice(1)) assert.match(l, /^-?[\d.]+(,-?[\d.]*)*$/, `plain numbers: ${l}`);
        const [png] = await Promise.all([page.waitForEvent('download'), d.locator('[data-action=png]').click()]);
        assert.match(png.suggestedFilename(), /\.png$/);
        const bytes = fs.readFileSync(await png.path());
        assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
        assert.ok(bytes.length > 2000, 'of a drawn chart');
        seen++;
      });
    }
    clean(page, slug);
    await noPanic(page, slug);
    await page.context().close();
  }
  assert.ok(seen >= 4, `${seen} charts have their data`);
});
