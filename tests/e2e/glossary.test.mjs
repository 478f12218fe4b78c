// End-to-end: glossary cards in articles (native popovers: mouse, keyboard, Escape, a description
// for screen readers), the glossary page, and the related articles on pages and talk decks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useSite, SHOTS, clean } from './helpers.mjs';

const site = useSite({ requires: 'glossary/index.html' });

const cardOpen = (page, id) => page.evaluate((id) => document.getElementById(id)?.matches(':popover-open') ?? false, id);

test('a term opens its card by click and by keyboard, Escape closes it, and the card leads to the glossary', async () => {
  const page = await site.newPage({ width: 1280, height: 900 });
  await page.goto(site.url + '/articles/reliability/');
  const term = page.locator('button.term').first();
  await term.waitFor();
  const id = await term.getAttribute('popovertarget');
  assert.ok(id?.startsWith('gl-'), 'the term names its card');
  assert.equal(await term.getAttribute('aria-describedby'), id, 'screen readers read the definition with the term');
  assert.equal(await cardOpen(page, id), false, 'cards start closed');
  await term.scrollIntoViewIfNeeded();
  await term.click();
  assert.equal(await cardOpen(page, id), true, 'a click opens the card');
  const card = page.locator(`#${id}`);
  assert.ok(await card.isVisible(), 'the card is shown');
  assert.ok((await card.textContent()).length > 40, 'the card has a definition');
  await page.screenshot({ path: path.join(SHOTS, 'glossary-card.png') });
  await page.keyboard.press('Escape');
  assert.equal(await cardOpen(page, id), false, 'Escape closes the card');
  await term.focus();
  await page.keyboard.press('Enter');
  assert.equal(await cardOpen(page, id), true, 'Enter on the focused term opens the card');
  await page.keyboard.press('Escape');
  await term.focus();
  await page.keyboard.press('Space');
  assert.equal(await cardOpen(page, id), true, 'so does Space');
  const more = card.locator('a.term-card-more');
  const href = await more.getAttribute('href');
  await more.click();
  await page.waitForURL(/\/glossary\/#/);
  const anchor = new URL(page.url()).hash.slice(1);
  assert.equal(`gl-${anchor}`, id, `${href}: the link lands on the same term`);
  assert.ok(await page.locator(`section.term-entry#${anchor}`).isVisible(), 'the glossary shows the term');
  clean(page, 'article → glossary');
  await page.close();
});

test('every glossary reference in every article resolves, each term has one card per article, and articles list related ones', async () => {
  const page = await site.newPage();
  await page.goto(site.url + '/glossary/');
  const terms = await page.locator('section.term-entry').evaluateAll((ss) => ss.map((s) => s.id));
  assert.ok(terms.length >= 25, `a real glossary (${terms.length} terms)`);
  assert.equal(new Set(terms).size, terms.length, 'each term defined once');
  assert.ok(await page.locator('.term-used a').count() >= 10, 'terms list the articles that use them');
  await page.screenshot({ path: path.join(SHOTS, 'glossary.png'), fullPage: false });
  const slugs = await page.locator('.term-used a').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('/').filter(Boolean).pop()))]);
  for (const slug of slugs) {
    await page.goto(`${site.url}/articles/${slug}/`);
    const cards = await page.locator('.term-card').evaluateAll((cs) => cs.map((c) => c.id));
    assert.equal(new Set(cards).size, cards.length, `${slug}: one card per term`);
    const refs = await page.locator('.term-card-more, .term-link').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('#')[1]));
    for (const r of refs) assert.ok(terms.includes(r), `${slug}: ${r} is in the glossary`);
    const related = page.locator('section.related a');
    assert.ok(await related.count() >= 2, `${slug}: related articles`);
    for (const href of await related.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.match(href, /^\/articles\/[a-z-]+\/$/, `${slug}: related link ${href}`);
    }
  }
  clean(page, 'glossary references');
  await page.close();
});

test('a talk deck ends with a Related slide linking the related articles', async () => {
  const page = await site.newPage({ width: 1280, height: 720 });
  await page.goto(site.url + '/talk/messaging/');
  const total = Number(await page.locator('main.deck').getAttribute('data-total'));
  const last = page.locator(`.deck > section.slide[data-n="${total}"]`);
  assert.equal(await last.locator('h2').textContent(), 'Related');
  assert.ok(await last.locator('a[href^="/articles/"]').count() >= 2, 'links to related articles');
  await page.goto(`${site.url}/talk/messaging/?slide=${total}`);
  await page.waitForFunction((n) => document.querySelector(`.deck > .slide[data-n="${n}"]`)?.classList.contains('is-current'), total);
  assert.ok(await last.isVisible(), 'the last slide shows');
  clean(page, 'talk related slide');
  await page.close();
});
