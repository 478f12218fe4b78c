// End-to-end: talk mode (/talk/<slug>/). Keyboard navigation through every slide of every talk,
// live widgets on their slides, keys inside widgets, the presenter window kept in step over a
// BroadcastChannel, layout at projector sizes (no scrolling, big enough type, screenshots of every
// slide) and printing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useSite, SHOTS, watch, clean, until, simTime, canvasDrawn, articleSlugs } from './helpers.mjs';

const site = useSite({ requires: 'talk' });
/** Every article, from the built site: each has a talk deck. */
const SLUGS = articleSlugs();

/** The deck's state as the page shows it. */
function deckState(page) {
  return page.evaluate(() => ({
    current: [...document.querySelectorAll('.deck > .slide.is-current')].map((s) => Number(s.dataset.n)),
    next: [...document.querySelectorAll('.deck > .slide.is-next')].map((s) => Number(s.dataset.n)),
    count: document.querySelector('.deck-count')?.textContent.trim(),
    slide: new URLSearchParams(location.search).get('slide'),
    presenterParam: new URLSearchParams(location.search).has('presenter'),
    visible: [...document.querySelectorAll('.deck > .slide')].filter((s) => getComputedStyle(s).display !== 'none').map((s) => Number(s.dataset.n)),
    blanked: document.body.classList.contains('blanked'),
    focus: document.activeElement?.id || document.activeElement?.tagName,
  }));
}

/** Waits until the deck shows slide `n` of `total`, then checks everything that says so. */
async function expectSlide(page, n, total, what, { presenter = false } = {}) {
  const s = await until(async () => { const s = await deckState(page); return s.current[0] === n && s.count === `${n} / ${total}` && s; }, { timeout: 5000 })
    || await deckState(page);
  assert.deepEqual(s.current, [n], `${what}: exactly one slide is current, and it is ${n}`);
  assert.equal(s.count, `${n} / ${total}`, `${what}: the counter`);
  assert.equal(s.slide, String(n), `${what}: ?slide= in the URL`);
  assert.equal(s.presenterParam, presenter, `${what}: ?presenter kept (or absent)`);
  if (presenter) {
    assert.deepEqual(s.next, n < total ? [n + 1] : [], `${what}: the next slide is shown beside it`);
    assert.deepEqual(s.visible, n < total ? [n, n + 1] : [n], `${what}: only the current and next slides are displayed`);
  } else {
    assert.deepEqual(s.next, [], `${what}: no next slide in the audience view`);
    assert.deepEqual(s.visible, [n], `${what}: only the current slide is displayed`);
  }
  return s;
}

/** Opens a talk and waits until the deck script has taken over (the counter is filled in). */
async function openTalk(page, slug, query = '') {
  await page.goto(`${site.url}/talk/${slug}/${query}`);
  await page.locator('.deck-count').filter({ hasText: '/' }).waitFor({ timeout: 30000 });
  return Number(await page.locator('main#main.deck').getAttribute('data-total'));
}

/** The current slide's widget is alive: mounted, and (if animated) its clock moves. Returns its
 * name and the canvases that stay blank (checked by the caller, so one product bug does not hide
 * the rest of the walk). */
async function expectLiveWidget(page, what) {
  const slide = page.locator('.deck > .slide.is-current');
  const fig = slide.locator('figure[data-widget]');
  await fig.first().waitFor({ timeout: 20000 });
  assert.equal(await fig.count(), 1, `${what}: one widget on the slide`);
  const name = await fig.getAttribute('data-widget');
  assert.equal(await slide.locator('.widget-error').count(), 0, `${what}: no widget error`);
  const t0 = await simTime(fig);
  if (!Number.isNaN(t0)) {
    let moved = await until(async () => (await simTime(fig)) > t0, { timeout: 4000 });
    if (!moved && /Play/.test(await fig.locator('[data-action=play]').textContent())) {
      // Press Play without moving focus into the widget (the deck keys must keep working).
      await fig.locator('[data-action=play]').evaluate((b) => b.click());
      moved = await until(async () => (await simTime(fig)) > t0, { timeout: 8000 });
    }
    assert.ok(moved, `${what} (${name}): simulated time advances (from ${t0})`);
  }
  const blank = [];
  const canvases = await fig.locator('canvas').all();
  for (const [i, c] of canvases.entries()) {
    if (!(await until(() => canvasDrawn(c), { timeout: 5000 }))) {
      blank.push(`${what} (${name}) canvas ${i + 1}/${canvases.length}: ${await c.evaluate((c) => `${c.width}x${c.height} px`)}`);
    }
  }
  return { name, blank };
}

const FORWARD = ['ArrowRight', 'PageDown', 'Space', '.', 'n', 'ArrowDown'];

for (const slug of SLUGS) {
  test(`talk ${slug}: the keyboard walks every slide; widgets are live; jumps, reload, blank and leave work`, async () => {
    const page = await site.newPage({ width: 1280, height: 800 }, { colorScheme: 'light' });
    const total = await openTalk(page, slug);
    assert.ok(total >= 5, `${slug}: a real deck (${total} slides)`);
    assert.equal(await page.locator('.deck > section.slide').count(), total, 'data-total matches the slides');
    assert.ok(await page.locator('.deck > .slide').first().evaluate((s) => s.classList.contains('slide-title') && !!s.querySelector('h1')), 'the first slide is the title');
    const widgetSlides = await page.locator('.deck > .slide').evaluateAll((ss) => ss.filter((s) => s.querySelector('.slide-widget.widget-slot')).map((s) => Number(s.dataset.n)));
    assert.ok(widgetSlides.length >= 1, `${slug}: some slides carry widgets`);
    await expectSlide(page, 1, total, `${slug} start`);
    assert.equal(await page.locator('.slide.is-current .notes').isVisible(), false, 'speaker notes are hidden from the audience');
    const seen = [];
    const blank = [];
    for (let n = 1; n <= total; n++) {
      if (n > 1) {
        const key = FORWARD[(n - 2) % FORWARD.length];
        await page.keyboard.press(key);
        await expectSlide(page, n, total, `${slug}: ${key} to slide ${n}`);
      }
      const slide = page.locator('.deck > .slide.is-current');
      assert.ok(await slide.locator('h1, h2').first().isVisible(), `${slug} ${n}: has a visible heading`);
      if (n > 1) assert.ok(await slide.locator('ul.points li').count() >= 1, `${slug} ${n}: has points`);
      if (widgetSlides.includes(n)) {
        const live = await expectLiveWidget(page, `${slug} slide ${n}`);
        seen.push(live.name);
        blank.push(...live.blank);
      }
    }
    assert.equal(seen.length, widgetSlides.length, 'every widget slide was checked');
    // Past the end stays on the last slide.
    await page.keyboard.press('ArrowRight');
    await expectSlide(page, total, total, `${slug}: past the end`);
    // Back, and the other ways around.
    await page.keyboard.press('ArrowLeft');
    await expectSlide(page, total - 1, total, `${slug}: ArrowLeft`);
    await page.keyboard.press('PageUp');
    await expectSlide(page, total - 2, total, `${slug}: PageUp`);
    await page.keyboard.press('Backspace');
    await expectSlide(page, total - 3, total, `${slug}: Backspace`);
    await page.keyboard.press('Home');
    await expectSlide(page, 1, total, `${slug}: Home`);
    await page.keyboard.press('ArrowLeft');
    await expectSlide(page, 1, total, `${slug}: before the start`);
    await page.keyboard.press('End');
    await expectSlide(page, total, total, `${slug}: End`);
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await expectSlide(page, 3, total, `${slug}: 3 Enter`);
    await page.keyboard.press('Enter');
    await expectSlide(page, 4, total, `${slug}: Enter alone goes on`);
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await expectSlide(page, 2, total, `${slug}: 2 Enter`);
    // A reload stays on the slide.
    const w = widgetSlides[0];
    await page.keyboard.press(String(w));
    await page.keyboard.press('Enter');
    await expectSlide(page, w, total, `${slug}: to the first widget slide`);
    await page.reload();
    await page.locator('.deck-count').filter({ hasText: '/' }).waitFor();
    await expectSlide(page, w, total, `${slug}: after a reload`);
    blank.push(...(await expectLiveWidget(page, `${slug} slide ${w} after a reload`)).blank);
    // B blanks, Esc un-blanks (and stays in the talk), B toggles too.
    await page.keyboard.press('b');
    assert.equal((await deckState(page)).blanked, true, 'B blanks the screen');
    const cover = await page.evaluate(() => { const s = getComputedStyle(document.body, '::after'); return [s.position, s.backgroundColor]; });
    assert.deepEqual(cover, ['fixed', 'rgb(0, 0, 0)'], 'a black cover over the slide');
    await page.keyboard.press('Escape');
    assert.equal((await deckState(page)).blanked, false, 'Esc un-blanks');
    await expectSlide(page, w, total, `${slug}: Esc while blanked stays in the talk`);
    await page.keyboard.press('B');
    await page.keyboard.press('B');
    assert.equal((await deckState(page)).blanked, false, 'B toggles');
    // Esc leaves for the article.
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === `/articles/${slug}/`, { timeout: 15000 });
    await page.locator('article h1').waitFor();
    clean(page, `talk ${slug}`);
    await page.context().close();
    // Charts drawn once (scaling-cost, quorum-sliders, backoff-jitter) must draw when their slide
    // appears, not while it is display:none (which gave a 1×1 bitmap).
    assert.deepEqual(blank, [], `${slug}: every canvas of every slide widget is drawn`);
  });
}

test('talk: keys inside a widget go to the widget; Esc hands focus back to the deck', async () => {
  const page = await site.newPage({ width: 1280, height: 800 }, { colorScheme: 'light' });
  const total = await openTalk(page, 'reliability', '?slide=3');
  await expectSlide(page, 3, total, 'start');
  const fig = page.locator('.slide.is-current figure[data-widget]');
  await fig.waitFor();
  const slider = fig.locator('[data-key] input[type=range]:visible').first();
  const before = Number(await slider.inputValue());
  const step = Number(await slider.getAttribute('step'));
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await slider.inputValue()), before + step, 'ArrowRight moves the focused slider one step');
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await slider.inputValue()), before + 2 * step);
  await page.keyboard.press('ArrowLeft');
  assert.equal(Number(await slider.inputValue()), before + step);
  await page.keyboard.press('End');
  assert.equal(await slider.inputValue(), await slider.getAttribute('max'), 'End moves the slider to its maximum');
  await page.keyboard.press('Home');
  assert.equal(await slider.inputValue(), await slider.getAttribute('min'), 'Home moves the slider to its minimum');
  await expectSlide(page, 3, total, 'the slide did not change while the slider had focus');
  // Space on a focused widget button presses it, and does not turn the slide.
  const play = fig.locator('[data-action=play]');
  const pressed = await play.getAttribute('aria-pressed');
  await play.focus();
  await page.keyboard.press('Space');
  assert.ok(await until(async () => (await play.getAttribute('aria-pressed')) !== pressed), 'Space presses the focused widget button');
  await expectSlide(page, 3, total, 'Space on a widget button keeps the slide');
  // Esc: focus back to the deck, and the deck keys work again.
  await slider.focus();
  await page.keyboard.press('Escape');
  assert.equal((await deckState(page)).focus, 'main', 'Esc focuses the deck');
  assert.equal(new URL(page.url()).pathname, '/talk/reliability/', 'Esc from a widget does not leave the talk');
  await page.keyboard.press('ArrowRight');
  await expectSlide(page, 4, total, 'ArrowRight after Esc turns the slide');
  clean(page, 'talk widget keys');
  await page.context().close();
});

test('talk: Share on a slide links to the article at that widget, in that state', async () => {
  for (const slug of SLUGS) {
    const page = await site.newPage({ width: 1280, height: 800 });
    const total = await openTalk(page, slug);
    let shared = 0;
    for (let n = 2; n <= total; n++) {
      const fig = page.locator(`.slide[data-n="${n}"] figure[data-widget]`);
      if (!(await fig.count())) continue;
      await page.goto(`${site.url}/talk/${slug}/?slide=${n}`);
      await fig.waitFor();
      const name = await fig.getAttribute('data-widget');
      const slider = fig.locator('[data-key] input[type=range]:not([disabled])').first();
      let wanted = null;
      if (await slider.count()) {
        await slider.evaluate((r) => { r.value = r.min; r.dispatchEvent(new Event('input', { bubbles: true })); r.dispatchEvent(new Event('change', { bubbles: true })); });
        wanted = await slider.inputValue();
      }
      await fig.locator('[data-action=share]').click();
      const link = new URL(await fig.locator('.share-link').inputValue());
      assert.equal(link.pathname, `/articles/${slug}/`, `${slug} slide ${n}: the link opens the article`);
      const i = link.searchParams.get('slot');
      assert.equal(link.hash, `#w${i}`);
      const fresh = await site.newPage();
      await fresh.goto(link.href);
      const again = fresh.locator(`#w${i} figure[data-widget]`);
      await again.waitFor();
      assert.equal(await again.getAttribute('data-widget'), name, `${slug} slide ${n}: the same widget`);
      if (wanted !== null) assert.equal(await again.locator('[data-key] input[type=range]:not([disabled])').first().inputValue(), wanted, 'in the same state');
      clean(fresh, `${slug} slide ${n} shared`);
      await fresh.context().close();
      shared++;
    }
    assert.ok(shared >= 1, `${slug}: at least one slide has a widget`);
    clean(page, `${slug} talk share`);
    await page.context().close();
  }
});

test('talk: presenter window (P) shows notes and the next slide, and stays in step with the audience window', async () => {
  const audience = await site.newPage({ width: 1280, height: 800 }, { colorScheme: 'light' });
  const context = audience.context();
  const total = await openTalk(audience, 'reliability', '?slide=3');
  await expectSlide(audience, 3, total, 'audience');
  const threads = (p) => p.locator('.slide.is-current [data-key=threads] input');
  await threads(audience).waitFor();
  // A setting changed before the presenter window exists reaches it when it opens.
  await threads(audience).fill('200');
  await audience.keyboard.press('Escape'); // focus back to the deck, so P reaches it
  const popupPromise = context.waitForEvent('page');
  await audience.keyboard.press('p');
  const presenter = await watch(await popupPromise);
  await presenter.waitForLoadState('domcontentloaded');
  await presenter.locator('.deck-count').filter({ hasText: '/' }).waitFor({ timeout: 30000 });
  assert.equal(new URL(presenter.url()).pathname, '/talk/reliability/');
  await expectSlide(presenter, 3, total, 'presenter opened by P', { presenter: true });
  assert.ok(await presenter.evaluate(() => document.body.classList.contains('presenter')), 'body.presenter');
  assert.ok(await presenter.locator('.slide.is-current .notes').isVisible(), 'the notes of the current slide show');
  assert.ok((await presenter.locator('.slide.is-current .notes').textContent()).trim().length > 20, 'notes have text');
  assert.equal(await presenter.locator('.slide.is-next .notes').isVisible(), false, 'only the current slide\'s notes');
  assert.ok(await presenter.locator('.slide.is-next').isVisible(), 'the next slide shows');
  assert.ok(await presenter.locator('.deck-timer').isVisible(), 'the timer shows');
  await threads(presenter).waitFor();
  assert.ok(await until(async () => (await threads(presenter).inputValue()) === '200'), 'the new window received the current settings');
  await presenter.screenshot({ path: path.join(SHOTS, 'talk-presenter.png') });

  // Slides: audience -> presenter, presenter -> audience.
  await audience.keyboard.press('ArrowRight');
  await expectSlide(audience, 4, total, 'audience ArrowRight');
  await expectSlide(presenter, 4, total, 'presenter follows the audience', { presenter: true });
  await presenter.keyboard.press('PageDown');
  await expectSlide(presenter, 5, total, 'presenter PageDown', { presenter: true });
  await expectSlide(audience, 5, total, 'audience follows the presenter');
  await presenter.keyboard.press('Home');
  await expectSlide(audience, 1, total, 'audience follows Home');
  await audience.keyboard.press('End');
  await expectSlide(presenter, total, total, 'presenter follows End', { presenter: true });
  await audience.keyboard.press('3');
  await audience.keyboard.press('Enter');
  await expectSlide(presenter, 3, total, 'presenter follows 3 Enter', { presenter: true });

  // Widget settings: a range both ways, and a select on the retry-storm slide.
  await threads(presenter).fill('300');
  await presenter.keyboard.press('Escape');
  assert.ok(await until(async () => (await threads(audience).inputValue()) === '300'), 'presenter -> audience: range');
  // (A setting the slide shows: `controls:` folds the others behind More settings.)
  const slowdown = (p) => p.locator('.slide.is-current [data-key=slowdown] input');
  await slowdown(audience).fill('50');
  await audience.keyboard.press('Escape');
  assert.ok(await until(async () => (await slowdown(presenter).inputValue()) === '50'), 'audience -> presenter: range');
  assert.equal(await threads(presenter).inputValue(), '300', 'no echo undoes the other setting');
  await audience.keyboard.press('ArrowRight');
  await expectSlide(presenter, 4, total, 'to the retry-storm slide', { presenter: true });
  const backoff = (p) => p.locator('.slide.is-current [data-key=backoff] select');
  await backoff(presenter).selectOption('2');
  assert.ok(await until(async () => (await backoff(audience).inputValue()) === '2'), 'presenter -> audience: select');
  const jitter = (p) => p.locator('.slide.is-current [data-key=jitter] select');
  await jitter(audience).selectOption('3');
  assert.ok(await until(async () => (await jitter(presenter).inputValue()) === '3'), 'audience -> presenter: select');
  assert.equal(await backoff(audience).inputValue(), '2');

  // A third window that opens on slide 1 joins the others on the current slide, with their settings.
  const late = await watch(await context.newPage());
  await late.goto(`${site.url}/talk/reliability/?slide=1`);
  await late.locator('.deck-count').filter({ hasText: '/' }).waitFor();
  await expectSlide(late, 4, total, 'a newly opened window jumps to the current slide');
  assert.ok(await until(async () => (await backoff(late).inputValue()) === '2' && (await jitter(late).inputValue()) === '3'), 'and gets the current settings');
  assert.ok(await until(async () => (await late.locator('#s3 [data-key=threads] input').inputValue()) === '300'), 'of every widget');
  for (const p of [audience, presenter, late]) clean(p, p.url());
  await context.close();
});

test('talk layout: no slide scrolls at 1024×768 or 1920×1080, big type on the projector; screenshots', async () => {
  const overflows = [];
  for (const [width, height] of [[1024, 768], [1920, 1080]]) {
    const page = await site.newPage({ width, height }, { colorScheme: 'light' });
    for (const slug of SLUGS) {
      const total = await openTalk(page, slug);
      for (let n = 1; n <= total; n++) {
        if (n > 1) await page.keyboard.press('ArrowRight');
        await expectSlide(page, n, total, `${slug} ${width}x${height}`);
        const slide = page.locator('.deck > .slide.is-current');
        if (await slide.locator('.widget-slot').count()) {
          await slide.locator('figure[data-widget]').waitFor({ timeout: 20000 });
          await page.waitForTimeout(300); // let the widget lay out before the deck fits it
        }
        const measure = () => page.evaluate(() => {
          const s = document.querySelector('.deck > .slide.is-current');
          return { slide: [s.scrollHeight, s.clientHeight], doc: [document.documentElement.scrollHeight, innerHeight],
            docW: [document.documentElement.scrollWidth, innerWidth] };
        });
        const fits = (m) => m.slide[0] <= m.slide[1] + 1 && m.doc[0] <= m.doc[1] + 1 && m.docW[0] <= m.docW[1] + 1;
        // The deck re-fits widgets once a second; give it a few chances.
        const m = await until(async () => { const m = await measure(); return fits(m) && m; }, { timeout: 3500, interval: 250 }) || await measure();
        if (!fits(m)) overflows.push(`${slug} slide ${n} at ${width}x${height}: slide ${m.slide[0]} > ${m.slide[1]} or document ${m.doc[0]}x${m.docW[0]} > ${m.doc[1]}x${m.docW[1]}`);
        if (width === 1920) {
          const sizes = await slide.locator('.points li').evaluateAll((lis) => lis.map((li) => parseFloat(getComputedStyle(li).fontSize)));
          for (const px of sizes) assert.ok(px >= 28, `${slug} slide ${n}: points are ${px}px at 1920×1080 (want >= 28px)`);
          const h = parseFloat(await slide.locator('h1, h2').first().evaluate((e) => getComputedStyle(e).fontSize));
          assert.ok(h >= 40, `${slug} slide ${n}: heading is ${h}px at 1920×1080`);
        }
        await page.screenshot({ path: path.join(SHOTS, `talk-${slug}-${n}-${width}x${height}.png`) });
      }
    }
    clean(page, `talks at ${width}x${height}`);
    await page.context().close();
  }
  // A zoomed widget lays out wider (partition-toggles' picture grows taller), so the deck must
  // re-check its fit rather than compute the zoom once.
  assert.deepEqual(overflows, [], 'no slide overflows and the document does not scroll');
});

test('talk print: every slide prints (one per page), without notes or the controls bar', async () => {
  const page = await site.newPage({ width: 1280, height: 800 }, { colorScheme: 'light' });
  for (const slug of SLUGS) {
    const total = await openTalk(page, slug, '?slide=2');
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(() => ({
      shown: [...document.querySelectorAll('.deck > .slide')].map((s) => getComputedStyle(s).display),
      heights: [...document.querySelectorAll('.deck > .slide')].map((s) => s.getBoundingClientRect().height),
      breaks: [...document.querySelectorAll('.deck > .slide')].map((s) => getComputedStyle(s).breakAfter),
      notes: [...document.querySelectorAll('.slide .notes')].map((s) => getComputedStyle(s).display),
      bar: getComputedStyle(document.querySelector('.deck-bar')).display,
    }));
    assert.equal(r.shown.length, total);
    r.shown.forEach((d, i) => assert.notEqual(d, 'none', `${slug}: slide ${i + 1} is printed`));
    r.heights.forEach((h, i) => assert.ok(h > 100, `${slug}: slide ${i + 1} has room on its page (${h}px)`));
    r.breaks.forEach((b, i) => assert.equal(b, 'page', `${slug}: a page break after slide ${i + 1}`));
    assert.ok(r.notes.every((d) => d === 'none'), `${slug}: speaker notes are not printed`);
    assert.equal(r.bar, 'none', `${slug}: the controls bar is not printed`);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual((await deckState(page)).visible, [2], `${slug}: back on screen, one slide again`);
  }
  clean(page, 'talk print');
  await page.context().close();
});
