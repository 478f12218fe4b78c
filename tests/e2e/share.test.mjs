// End-to-end: what a shared link shows (canonical URL, description, Open Graph and Twitter tags on
// every page), the Atom feed and the sitemap, parsed as XML by the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, clean } from './helpers.mjs';

const site = useSite({ requires: 'feed.xml' });

test('pages carry share metadata; the feed and the sitemap list every article', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/');
  const articles = await page.locator('.card h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(articles.length >= 10);
  for (const href of [articles[0], '/glossary/', `/talk/${articles[1].split('/')[2]}/`]) {
    await page.goto(site.url + href);
    const meta = await page.evaluate(() => {
      const m = (sel) => document.querySelector(sel)?.getAttribute('content') ?? document.querySelector(sel)?.getAttribute('href');
      return {
        canonical: m('link[rel=canonical]'), title: m('meta[property="og:title"]'), description: m('meta[property="og:description"]'),
        url: m('meta[property="og:url"]'), card: m('meta[name="twitter:card"]'), feed: m('link[rel=alternate][type="application/atom+xml"]'),
        desc: m('meta[name=description]'),
      };
    });
    assert.ok(new URL(meta.canonical, site.url).pathname === href, `${href}: canonical ${meta.canonical}`);
    assert.equal(meta.url, meta.canonical, `${href}: og:url`);
    assert.ok(meta.title?.includes('Tradeoffs') && meta.description?.length > 20 && meta.desc === meta.description, `${href}: title and description`);
    // Articles and talks have a share card (a large image); the glossary has none.
    assert.equal(meta.card, href === '/glossary/' ? 'summary' : 'summary_large_image', `${href}: twitter:card`);
    assert.ok(meta.feed.endsWith('feed.xml'));
  }
  // A large share card on article and embed pages: a 1200×630 PNG drawn at build time.
  for (const href of [articles[0], '/embed/retry-storm/', '/embed/partition-toggles/']) {
    await page.goto(site.url + href);
    const card = await page.evaluate(() => ({
      image: document.querySelector('meta[property="og:image"]')?.content,
      twitter: document.querySelector('meta[name="twitter:image"]')?.content,
      kind: document.querySelector('meta[name="twitter:card"]')?.content,
      alt: document.querySelector('meta[property="og:image:alt"]')?.content,
    }));
    assert.ok(card.image?.endsWith('/card.png') && card.twitter === card.image, `${href}: og:image ${card.image}`);
    assert.equal(card.kind, 'summary_large_image');
    assert.ok(card.alt?.length > 10, `${href}: the image has alt text`);
    const res = await page.request.get(new URL(card.image, site.url).href);
    assert.equal(res.status(), 200, `${href}: the card is served`);
    const png = await res.body();
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${href}: a PNG`);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630], `${href}: 1200×630`);
    assert.ok(png.length > 20000, `${href}: a picture, not a blank (${png.length} bytes)`);
  }
  const xml = async (p) => page.evaluate(async (p) => {
    const text = await (await fetch(p)).text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, entries: [...doc.querySelectorAll('entry > link')].map((l) => l.getAttribute('href')), locs: [...doc.querySelectorAll('loc')].map((l) => l.textContent) };
  }, p);
  const feed = await xml('/feed.xml');
  assert.equal(feed.error, null, 'the feed is well-formed XML');
  assert.equal(feed.root, 'feed');
  assert.deepEqual(feed.entries.map((u) => new URL(u, site.url).pathname), articles, 'one entry per article, in reading order');
  const map = await xml('/sitemap.xml');
  assert.equal(map.error, null, 'the sitemap is well-formed XML');
  for (const a of articles) assert.ok(map.locs.some((u) => new URL(u, site.url).pathname === a), `sitemap has ${a}`);
  const robots = await (await page.request.get(site.url + '/robots.txt')).text();
  assert.match(robots, /Sitemap: .*sitemap\.xml/);
  clean(page, 'share metadata');
  await page.close();
});

test('an iframe embed page has a main landmark with a heading (visually hidden) around its widget', async () => {
  const page = await site.newPage({ width: 700, height: 700 });
  await page.goto(site.url + '/embed/quorum-sliders/');
  await page.waitForSelector('main figure[data-widget="quorum-sliders"]', { timeout: 30000 });
  assert.equal(await page.locator('main').count(), 1, 'one main landmark');
  const h1 = page.locator('main h1');
  assert.match(await h1.textContent(), /live Tradeoffs widget/);
  const box = await h1.boundingBox();
  assert.ok(!box || box.width <= 1, 'the heading is for screen readers only');
  clean(page, 'embed landmarks');
  await page.close();
});

