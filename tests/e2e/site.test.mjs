// End-to-end: the real dist/ served on 127.0.0.1, driven in headless Chromium.
// Any console error, page error, failed request or CSP violation fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './server.mjs';
import { useSite, ROOT, SHOTS, clean, noPanic, until, simTime, canvasDrawn, articleSlugs, openArticle } from './helpers.mjs';

const site = useSite();

/** Waits until every widget slot of the open page has its widget mounted. */
async function mounted(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.widget-slot')].every((s) => s.querySelector('figure[data-widget]')), null, { timeout: 30000 });
}

/** Waits for `n` animation frames of the page (effects that draw run on the next frame). */
async function frames(page, n = 2) {
  await page.evaluate((n) => new Promise((done) => {
    const tick = () => (--n <= 0 ? done() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

test('home lists the articles and every article works', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/');
  await page.waitForSelector('.card');
  await page.screenshot({ path: path.join(SHOTS, 'home.png'), fullPage: true });
  const links = await page.locator('.card h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(await page.locator('.site-header .brand').getAttribute('href'), '/');
  assert.ok(links.length >= 1, 'at least one article');
  for (const href of links) {
    await page.locator(`.card h2 a[href="${href}"]`).click();
    await page.waitForSelector('article h1');
    assert.equal(new URL(page.url()).pathname, href);
    const slug = href.split('/').filter(Boolean).pop();
    assert.ok((await page.locator('article h1').textContent()).length > 5, 'has a title');
    assert.ok(await page.locator('.toc a').count() >= 3, 'has a table of contents');
    assert.ok(await page.locator('.sources li').count() >= 1, 'has sources');
    await mounted(page);
    const widgets = page.locator('figure[data-widget]');
    const n = await widgets.count();
    assert.ok(n >= 1, `${slug}: at least one widget`);
    for (let i = 0; i < n; i++) {
      const w = widgets.nth(i);
      const name = await w.getAttribute('data-widget');
      await w.scrollIntoViewIfNeeded();
      // Live: animated widgets advance simulated time; computed ones draw their charts.
      const t0 = await simTime(w);
      if (!Number.isNaN(t0)) {
        const play = w.locator('[data-action=play]');
        if ((await play.textContent()).includes('Play')) await play.click();
        const moved = await until(async () => (await simTime(w)) > t0, { timeout: 20000 });
        assert.ok(moved, `${slug}/${name}#${i}: simulated time advances (from ${t0} s)`);
      }
      for (const c of await w.locator('canvas').all()) {
        assert.ok(await until(() => canvasDrawn(c)), `${slug}/${name}#${i}: canvas drawn`);
      }
      // Move every slider once, flip every toggle, pick another option in every select.
      for (const r of await w.locator('input[type=range]').all()) {
        const max = await r.getAttribute('max');
        await r.fill(max);
        await r.press('ArrowLeft');
      }
      for (const c of await w.locator('input[type=checkbox]').all()) await c.click();
      // Re-query each time: changing one select may add or remove another (a mode's options).
      // (The decision note's format select is not a setting, and hidden until the note opens.)
      const settings = w.locator('select:not([data-action=note-format])');
      const selects = await settings.count();
      for (let k = 0; k < selects; k++) {
        const s = settings.nth(k);
        if (!(await s.count())) continue;
        const opts = await s.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
        if (opts.length) await s.selectOption(opts[opts.length - 1]);
      }
      await frames(page);
      for (const c of await w.locator('canvas').all()) {
        assert.ok(await until(() => canvasDrawn(c)), `${slug}/${name}#${i}: canvas still drawn after changes`);
      }
      assert.equal(await w.locator('.widget-error').count(), 0, `${slug}/${name}#${i}: no widget error`);
    }
    await page.screenshot({ path: path.join(SHOTS, `article-${slug}.png`), fullPage: true });
    await noPanic(page);
    clean(page);
    await page.goto(site.url + '/');
    await page.waitForSelector('.card');
  }
  await page.context().close();
});

test('deep links load directly, unknown slugs show not-found', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/reliability');
  await page.waitForSelector('article h1');
  await page.goto(site.url + '/articles/no-such-article');
  await page.waitForSelector('.not-found h1');
  assert.match(await page.locator('.not-found h1').textContent(), /not found/i);
  await page.screenshot({ path: path.join(SHOTS, 'not-found.png') });
  clean(page);
  await page.context().close();
});

test('a build for a sub-path works under that sub-path, deep links included', async () => {
  const sub = path.join(ROOT, 'target/dist-subpath');
  assert.ok(fs.existsSync(path.join(sub, 'index.html')), 'cargo xtask dist --public-url /tradeoffs/ --dist target/dist-subpath');
  const s = await serve(sub, { prefix: '/tradeoffs/' });
  try {
    const page = await site.newPage();
    await page.goto(s.url + '/tradeoffs/articles/reliability');
    await page.waitForSelector('article h1');
    assert.ok(await page.locator('figure[data-widget]').count() >= 1);
    assert.equal(await page.locator('.site-header .brand').getAttribute('href'), '/tradeoffs/');
    await page.locator('.site-header .brand').click();
    await page.waitForSelector('.card');
    assert.equal(new URL(page.url()).pathname, '/tradeoffs/');
    await page.locator('.card h2 a').first().click();
    await page.waitForSelector('article h1');
    assert.match(new URL(page.url()).pathname, /^\/tradeoffs\/articles\//);
    clean(page);
    await page.context().close();
  } finally {
    await s.close();
  }
});

test('the theme toggle persists across reloads', async () => {
  const page = await site.newPage({ width: 1280, height: 900 }, { colorScheme: 'light' });
  await page.goto(site.url + '/articles/reliability');
  await page.waitForSelector('article h1');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await page.click('.site-header .icon-button');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(20, 22, 27)');
  await page.reload();
  await page.waitForSelector('article h1');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await page.locator('figure[data-widget=retry-storm]').first().scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SHOTS, 'article-reliability-dark.png') });
  clean(page);
  await page.context().close();
});

test('retry storm: naive retries stay down after an outage, a budget brings it back', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/reliability');
  const w = page.locator('figure[data-widget=retry-storm]').first();
  await w.scrollIntoViewIfNeeded();
  await w.locator('[data-action=speed]').selectOption('5'); // 10x
  if ((await w.locator('[data-action=play]').textContent()).includes('Play')) await w.locator('[data-action=play]').click();
  await page.waitForFunction((el) => parseFloat(el.querySelector('[data-k=time]').textContent) > 3, await w.elementHandle());
  await w.locator('[data-action=outage]').click();
  const t0 = await simTime(w);
  await page.waitForFunction(([el, t]) => parseFloat(el.querySelector('[data-k=time]').textContent) > t + 12, [await w.elementHandle(), t0], { timeout: 30000 });
  assert.match(await w.locator('[data-k=recovery]').textContent(), /Not recovered/);
  const amp = parseFloat(await w.locator('[data-k=amplification]').textContent());
  assert.ok(amp > 2.5, `amplification ${amp}`);
  await w.screenshot({ path: path.join(SHOTS, 'retry-storm-metastable.png') });
  // Switch on the budget in the middle of the storm.
  await w.locator('[data-key=preset] select').selectOption({ label: 'budget' });
  await page.waitForFunction((el) => /Recovered/.test(el.querySelector('[data-k=recovery]').textContent), await w.elementHandle(), { timeout: 30000 });
  await w.screenshot({ path: path.join(SHOTS, 'retry-storm-recovered.png') });
  clean(page);
  await page.context().close();
});

test('reserved heights: each widget mounts within 20% of the height its page kept for it (little layout shift)', async () => {
  // The page keeps `WidgetSpec::reserve_rem` for a slot while its bundle loads (a generated
  // `.slot-<name>:has(> .widget-loading)` rule); the mounted widget should need about that.
  const page = await site.newPage({ width: 1280, height: 900 });
  const off = [];
  for (const slug of articleSlugs()) {
    await openArticle(page, site.url, slug);
    await frames(page);
    const slots = await page.evaluate(() => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
      const reserve = (name) => {
        for (const sheet of document.styleSheets) {
          for (const r of sheet.cssRules) {
            if (r.selectorText?.startsWith(`.slot-${name}:has`)) return parseFloat(r.style.minHeight);
          }
        }
        return NaN;
      };
      return [...document.querySelectorAll('.widget-slot')].map((s) => {
        const name = s.querySelector('figure[data-widget]').dataset.widget;
        return { name, reserved: reserve(name), mounted: s.getBoundingClientRect().height / rem };
      });
    });
    for (const { name, reserved, mounted } of slots) {
      assert.ok(reserved > 0, `${slug}/${name}: its page reserves a height`);
      if (Math.abs(mounted - reserved) > 0.2 * reserved) off.push(`${slug}/${name}: reserved ${reserved} rem, mounted ${mounted.toFixed(1)} rem`);
    }
  }
  assert.deepEqual(off, [], 'set reserve_rem in the widget\'s spec to about its mounted height');
  clean(page);
  await page.context().close();
});

test('phone width: nothing overflows horizontally (home, glossary, every article)', async () => {
  const page = await site.newPage({ width: 360, height: 740 });
  for (const p of ['/', '/glossary', ...articleSlugs().map((s) => `/articles/${s}`)]) {
    await page.goto(site.url + p);
    await page.waitForSelector('h1');
    await mounted(page);
    await frames(page);
    const [overflow, culprits] = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const out = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5)
        .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''}`);
      return [document.documentElement.scrollWidth - w, out];
    });
    assert.ok(overflow <= 0, `${p}: ${overflow}px horizontal overflow at 360px (${culprits.join(', ')})`);
    await page.screenshot({ path: path.join(SHOTS, `phone${p.replace(/\//g, '-') || '-home'}.png`) });
  }
  clean(page);
  await page.context().close();
});

test('partition toggles: the tour shows CP refusing and AP losing a write; links cut and heal', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/consistency');
  const widgets = page.locator('figure[data-widget=partition-toggles]');
  assert.ok(await widgets.count() >= 2);
  const cp = widgets.nth(0);
  await cp.scrollIntoViewIfNeeded();
  const link = cp.locator('[data-link="0-1"]');
  assert.equal(await link.getAttribute('aria-pressed'), 'false');
  await link.focus();
  await page.keyboard.press('Enter');
  assert.equal(await link.getAttribute('aria-pressed'), 'true', 'keyboard cuts a link');
  await link.click();
  assert.equal(await link.getAttribute('aria-pressed'), 'false', 'a click heals it');
  await cp.locator('[data-action=tour]').click();
  await page.waitForFunction((el) => /refus|no quorum/i.test(el.querySelector('[data-k=verdict]').textContent), await cp.elementHandle(), { timeout: 15000 });
  await page.waitForFunction((el) => /A reads 3/.test(el.querySelector('[data-k=tour]')?.textContent || ''), await cp.elementHandle(), { timeout: 15000 });
  await page.waitForTimeout(800);
  assert.doesNotMatch(await cp.locator('[data-k=verdict]').textContent(), /Not linearizable|lost|Stale/);
  await cp.screenshot({ path: path.join(SHOTS, 'partition-toggles-cp-tour.png') });
  const ap = widgets.nth(1);
  await ap.scrollIntoViewIfNeeded();
  await ap.locator('[data-action=tour]').click();
  await page.waitForFunction((el) => /lost|Not linearizable/i.test(el.querySelector('[data-k=verdict]').textContent), await ap.elementHandle(), { timeout: 15000 });
  await ap.screenshot({ path: path.join(SHOTS, 'partition-toggles-ap-tour.png') });
  // The clock keeps moving while the cluster is idle (AP sends no heartbeats).
  const clock = async () => parseFloat((await ap.locator('.sr-time').textContent()).replace(/[^\d.]/g, ''));
  const t0 = await clock();
  const moved = await until(async () => (await clock()) > t0 + 0.5);
  assert.ok(moved, `the AP clock moves on while idle (${t0} s, then ${await clock()} s)`);
  clean(page);
  await page.context().close();
});

test('quorum sliders: R + W > N flips overlap and the stale-read chance comes from PBS', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/consistency');
  const w = page.locator('figure[data-widget=quorum-sliders]').first();
  await w.scrollIntoViewIfNeeded();
  assert.equal((await w.locator('[data-k=stale]').textContent()).trim(), '67%');
  await w.locator('[data-key=w] input').fill('2');
  assert.equal((await w.locator('[data-k=stale]').textContent()).trim(), '33%');
  await w.locator('[data-key=r] input').fill('2');
  assert.equal((await w.locator('[data-k=stale]').textContent()).trim(), '0%');
  assert.match(await w.locator('[data-k=overlap]').textContent(), /overlaps/);
  await w.locator('[data-key=n] input').fill('1');
  assert.equal(await w.locator('[data-key=r] input').inputValue(), '1', 'R follows N down');
  clean(page);
  await page.context().close();
});

test('scaling cost: the verdict and plans come from the model and follow the sliders', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/scaling');
  const w = page.locator('figure[data-widget=scaling-cost]').first();
  await w.scrollIntoViewIfNeeded();
  const before = await w.locator('[data-k=summary]').textContent();
  assert.match(before, /req\/s/);
  await w.locator('[data-key=beta] input').fill('0.001');
  const changed = await until(async () => (await w.locator('[data-k=summary]').textContent()) !== before);
  assert.ok(changed, 'the summary follows the slider');
  assert.match(await w.locator('[data-k=peak]').textContent(), /nodes/);
  assert.doesNotMatch(await w.textContent(), /NaN|inf/);
  await w.screenshot({ path: path.join(SHOTS, 'scaling-cost.png') });
  clean(page);
  await page.context().close();
});

test('charts follow their box and the pixel ratio: a narrower window or a denser screen redraws them sharp', async () => {
  const page = await site.newPage({ width: 1100, height: 900 });
  await page.goto(site.url + '/embed/timeout-pool/');
  const charts = page.locator('figure[data-widget=timeout-pool] canvas');
  await charts.first().waitFor();
  // Backing store = CSS box × device pixel ratio, for every chart, and drawn.
  const sharp = () => charts.evaluateAll((cs) => cs.map((c) => {
    const r = c.getBoundingClientRect();
    return [c.width, c.height, Math.round(r.width * devicePixelRatio), Math.round(r.height * devicePixelRatio)];
  }));
  async function check(what) {
    await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => {
      const r = c.getBoundingClientRect();
      return c.width === Math.round(r.width * devicePixelRatio) && c.height === Math.round(r.height * devicePixelRatio);
    }), null, { timeout: 5000 }).catch(() => {});
    for (const [w, h, ew, eh] of await sharp()) assert.deepEqual([w, h], [ew, eh], `${what}: backing store matches the box`);
    for (const c of await charts.all()) assert.ok(await canvasDrawn(c), `${what}: chart drawn`);
    return (await sharp())[0][0];
  }
  const wide = await check('at load');
  await page.setViewportSize({ width: 700, height: 900 });
  const narrow = await check('after a narrower window');
  // (At 1,100 px the charts sit side by side, at 700 px one above the other: each gets wider.)
  assert.notEqual(narrow, wide, `the chart followed the window (${wide} → ${narrow} px)`);
  // A denser screen with the same CSS layout (the box, so the ResizeObserver, unchanged). A real
  // one fires the resolution media query's change event; an emulated one does not, and the
  // running widget's next frame notices the new ratio.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 700, height: 900, deviceScaleFactor: 2, mobile: false });
  assert.equal(await page.evaluate(() => devicePixelRatio), 2);
  const dense = await check('on a 2× screen');
  assert.equal(dense, narrow * 2, 'twice the pixels for the same box');
  clean(page);
  await page.context().close();
});

test('share: a link reopens the article scrolled to the widget with the same settings', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/articles/scaling');
  const w = page.locator('.widget-slot').nth(1).locator('figure[data-widget]');
  await w.scrollIntoViewIfNeeded();
  const name = await w.getAttribute('data-widget');
  const range = w.locator('input[type=range]').first();
  await range.fill(await range.getAttribute('max'));
  const wanted = await range.inputValue();
  const summary = await w.locator('[data-k]').first().textContent();
  await w.locator('[data-action=share]').click();
  const link = await w.locator('.share-link').inputValue();
  assert.match(link, /\?slot=1&.*#w1$/);
  const fresh = await site.newPage();
  await fresh.goto(link);
  const again = fresh.locator('#w1 figure[data-widget]');
  await again.waitFor();
  assert.equal(await again.getAttribute('data-widget'), name);
  assert.equal(await again.locator('input[type=range]').first().inputValue(), wanted);
  assert.equal(await again.locator('[data-k]').first().textContent(), summary, 'same numbers');
  const inView = await until(() => again.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }));
  assert.ok(inView, 'the shared widget is scrolled into view');
  clean(fresh);
  clean(page);
  await fresh.context().close();
  await page.context().close();
});

test('bad links: malformed and extreme settings load clamped, with a note, and no errors', async () => {
  const page = await site.newPage();
  const cases = [
    ['/articles/reliability', 'slot=1&clients=99999999&load=-5&timeout=abc&backoff=%zz&seed=x'],
    ['/articles/reliability', 'slot=99&clients=1'],
    ['/articles/reliability', 'slot=-1&slot=1'],
    ['/articles/consistency', 'slot=0&replicas=1e308&mode=ca&clients=NaN'],
    ['/articles/scaling', 'slot=1&alpha=Infinity&beta=-1&load=' + '9'.repeat(400)],
    ['/articles/consistency', 'slot=3&n=0&r=100&w=%00'],
  ];
  for (const [p, q] of cases) {
    await page.goto(`${site.url}${p}?${q}`);
    await page.waitForSelector('figure[data-widget]');
    await mounted(page);
    const m = q.match(/^slot=(\d+)&\w/);
    const slot = page.locator(`#w${m ? m[1] : 'none'}`);
    if (m && (await slot.count())) {
      assert.ok(await until(async () => (await slot.locator('.widget-note').count()) >= 1), `${q}: a note explains the repair`);
    }
    assert.doesNotMatch(await page.locator('main').textContent(), /NaN|Infinity/, q);
    await noPanic(page);
  }
  clean(page);
  await page.context().close();
});
