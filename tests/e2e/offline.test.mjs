// End-to-end: the site works offline after one visit (public/sw.js, written by `cargo xtask
// dist`), a new deploy replaces the old cache cleanly, and the same holds under a sub-path. Each
// test serves its own copy of the build, since one of them deploys a changed build into it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './browser.mjs';
import { DIST, ROOT, SHOTS, clean, until, simTime, watch } from './helpers.mjs';
import { serve } from './server.mjs';

/** A private copy of a build, served on 127.0.0.1 (under `prefix` when given). */
async function copyServed(dir, prefix = '') {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tradeoffs-offline-'));
  fs.cpSync(dir, tmp, { recursive: true });
  const server = await serve(tmp, { prefix });
  return { dir: tmp, server, url: server.url + (prefix ? prefix.replace(/\/$/, '') : ''), close: async () => { await server.close(); fs.rmSync(tmp, { recursive: true, force: true }); } };
}

/** A page whose context lets service workers run (the other tests block them). */
async function swPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow' });
  return watch(await context.newPage());
}

const ready = (page) => page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', null, { timeout: 120000 });
const cacheNames = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('tradeoffs-')));

test('after one visit a talk deck, its widgets, an article, an embed and the glossary work offline; a new deploy replaces the cache', async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'sw.js')), 'the release build has a service worker');
  const site = await copyServed(DIST);
  const browser = await launch();
  try {
    const page = await swPage(browser);
    await page.goto(site.url + '/talk/reliability/');
    await ready(page);
    assert.equal((await cacheNames(page)).length, 1, 'one cache, for this build');
    assert.equal(await page.locator('.deck-offline').isVisible(), false, 'the audience sees no badge');
    // The presenter view reassures the speaker.
    await page.goto(site.url + '/talk/reliability/?presenter');
    await page.waitForSelector('body.presenter');
    await ready(page);
    assert.ok(await page.locator('.deck-offline').isVisible(), 'the presenter view says "Ready offline"');

    await page.context().setOffline(true);
    await page.goto(site.url + '/talk/reliability/');
    await page.waitForSelector('main.deck');
    await page.locator('main.deck').focus();
    const total = Number(await page.locator('main.deck').getAttribute('data-total'));
    let widgets = 0;
    for (let n = 1; n <= total; n++) {
      if (n > 1) await page.keyboard.press('ArrowRight');
      const current = page.locator('.deck > .slide.is-current');
      assert.ok(await until(async () => Number(await current.getAttribute('data-n')) === n), `offline: slide ${n} of ${total}`);
      if (await current.locator('.widget-slot').count()) {
        const w = current.locator('figure[data-widget]');
        await w.waitFor({ timeout: 30000 });
        widgets++;
        const t0 = await simTime(w);
        if (!Number.isNaN(t0)) {
          const play = w.locator('[data-action=play]');
          if ((await play.textContent()).includes('Play')) await play.click();
          assert.ok(await until(async () => (await simTime(w)) > t0, { timeout: 20000 }), `offline: the widget on slide ${n} runs`);
        }
      }
    }
    assert.ok(widgets >= 1, 'the deck has live widgets offline');
    await page.screenshot({ path: path.join(SHOTS, 'offline-talk.png') });
    for (const p of ['/articles/messaging/', '/embed/retry-storm/', '/glossary/', '/']) {
      await page.goto(site.url + p);
      if (p.startsWith('/articles') || p.startsWith('/embed')) await page.waitForSelector('figure[data-widget]', { timeout: 30000 });
      else await page.waitForSelector('h1');
    }
    clean(page, 'offline');

    // Deploy a changed build: new text on a page, hence a new version of the worker.
    await page.context().setOffline(false);
    const swFile = path.join(site.dir, 'sw.js');
    const sw = fs.readFileSync(swFile, 'utf8');
    const v1 = sw.match(/build ([0-9a-f]{16})/)[1];
    const v2 = v1.split('').reverse().join('');
    fs.writeFileSync(swFile, sw.replaceAll(v1, v2));
    const article = path.join(site.dir, 'articles/reliability/index.html');
    fs.writeFileSync(article, fs.readFileSync(article, 'utf8').replace('<h1>', '<h1><span class="deployed">Deployed: </span>'));
    await page.goto(site.url + '/articles/reliability/');
    assert.equal(await page.locator('h1 .deployed').count(), 0, 'the first load is still the cached build');
    // The page asks for the new worker; once it has cached the new build it takes over and the
    // page reloads itself into it.
    assert.ok(await until(async () => (await page.locator('h1 .deployed').count()) === 1, { timeout: 120000 }), 'the page updates to the new build');
    await ready(page);
    assert.deepEqual(await cacheNames(page), [`tradeoffs-${v2}`], 'the old cache is gone');
    clean(page, 'update');
  } finally {
    await browser.close();
    await site.close();
  }
});

test('under a sub-path the worker caches the build at its path and pages work offline', async () => {
  const sub = path.join(ROOT, 'target/dist-subpath');
  assert.ok(fs.existsSync(path.join(sub, 'sw.js')), 'cargo xtask dist --public-url /tradeoffs/ --dist target/dist-subpath');
  const site = await copyServed(sub, '/tradeoffs/');
  const browser = await launch();
  try {
    const page = await swPage(browser);
    await page.goto(site.url + '/articles/cloud/');
    await ready(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(new URL(scope).pathname, '/tradeoffs/', 'the worker is scoped to the sub-path');
    await page.context().setOffline(true);
    await page.goto(site.url + '/talk/cloud/');
    await page.waitForSelector('main.deck');
    await page.goto(site.url + '/articles/cloud/');
    await page.waitForSelector('figure[data-widget]', { timeout: 30000 });
    clean(page, 'sub-path offline');
  } finally {
    await browser.close();
    await site.close();
  }
});
