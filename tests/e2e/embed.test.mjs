// End-to-end: embedding. The widgets (dist/) are served on one origin and "someone else's blog"
// (tests/fixtures/foreign-blog: hostile global CSS, a strict CSP) on another; the blog embeds two
// widgets with <tradeoffs-widget> (plus a second element of the same name, and one with an unknown
// name) and one with an iframe. Then the iframe pages /embed/<widget>/ on their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './server.mjs';
import { useSite, ROOT, DIST, SHOTS, clean, until, simTime, canvasDrawn, canvasBackground, luminance } from './helpers.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/foreign-blog');
let blog, blogDir;

/** The widgets' origin is the built site; the blog is served beside it. */
const site = useSite({
  requires: 'embed.js',
  // The blog: the fixture with the widget origin written into its CSP and script/iframe URLs.
  setup: async (site) => {
    blogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foreign-blog-'));
    for (const f of fs.readdirSync(FIXTURE)) {
      fs.writeFileSync(path.join(blogDir, f), fs.readFileSync(path.join(FIXTURE, f), 'utf8').replaceAll('__WIDGET_ORIGIN__', site.url));
    }
    blog = await serve(blogDir);
    assert.notEqual(new URL(blog.url).origin, new URL(site.url).origin, 'the blog and the widgets are different origins');
  },
  teardown: async () => {
    await blog?.close();
    if (blogDir) fs.rmSync(blogDir, { recursive: true, force: true });
  },
});

const NAMES = { storm: 'retry-storm', 'storm-2': 'retry-storm', quorum: 'quorum-sliders' };

/** Opens the blog (light colour scheme) and waits until every embed has mounted. */
async function openBlog(opts = {}) {
  const page = await site.newPage({ width: 1280, height: 900 }, { colorScheme: 'light', ...opts });
  page.bundleRequests = [];
  page.on('request', (r) => { if (/\/b\/w-[a-z-]+\/tradeoffs(_bg\.wasm|\.js)$/.test(r.url())) page.bundleRequests.push(new URL(r.url()).pathname); });
  await page.goto(blog.url + '/');
  for (const [id, name] of Object.entries(NAMES)) {
    await page.locator(`#${id} figure[data-widget="${name}"]`).waitFor({ timeout: 30000 });
  }
  await page.frameLocator('#frame').locator('figure[data-widget="scaling-cost"]').waitFor({ timeout: 30000 });
  await page.locator('#bogus .tw-error').waitFor({ timeout: 30000 });
  return page;
}

function frameOf(page) {
  const f = page.frames().find((fr) => fr.url().startsWith(site.url + '/embed/'));
  assert.ok(f, 'the iframe loaded the widget origin');
  return f;
}

/** The computed look (colours, type, borders, SVG paint) of the first element of each kind (tag
 *  and classes) inside `figure`, keyed by kind. Properties that follow the run's state (disabled
 *  buttons' opacity) or the viewport (sizes, grid tracks) are left out. */
async function looks(figure) {
  return figure.evaluate((fig) => {
    const PROPS = ['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'color', 'background-color',
      'border-top-style', 'border-top-width', 'border-top-color', 'border-left-style', 'border-radius', 'list-style-type',
      'text-align', 'text-decoration-line', 'white-space', 'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'position'];
    const out = {};
    for (const el of fig.querySelectorAll('*')) {
      const kind = [el.tagName.toLowerCase(), ...[...el.classList].sort()].join('.');
      if (kind in out) continue;
      const cs = getComputedStyle(el);
      out[kind] = Object.fromEntries(PROPS.map((p) => [p, cs.getPropertyValue(p)]));
    }
    return out;
  });
}

/** Computed style properties of the first element matching `selector` (which may be inside a shadow root). */
function styleOf(locator, props) {
  return locator.first().evaluate((el, props) => {
    const cs = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
  }, props, { timeout: 10000 });
}

async function waitDrawn(canvas, what) {
  const ok = await until(() => canvasDrawn(canvas), { timeout: 10000 });
  assert.ok(ok, `${what}: canvas drawn`);
}

test('a foreign blog with hostile CSS and a strict CSP renders all three embeds, with no errors', async () => {
  const page = await openBlog();
  // The CSP the blog declares really is strict, and names the widget origin.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(csp.includes(site.url), 'the CSP names the widget origin');
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, 'no unsafe-inline / unsafe-eval');
  assert.equal(await page.evaluate(() => customElements.get('tradeoffs-widget') !== undefined), true, 'embed.js defined the element');
  // Each widget lives in its element's shadow root; nothing lands in the blog's own DOM.
  for (const [id, name] of Object.entries(NAMES)) {
    const inShadow = await page.evaluate((id) => document.getElementById(id).shadowRoot?.querySelector('figure[data-widget]')?.dataset.widget, id);
    assert.equal(inShadow, name, `#${id}: figure[data-widget=${name}] inside the shadow root`);
  }
  assert.equal(await page.evaluate(() => document.querySelectorAll('figure, canvas, .widget').length), 0, 'no widget markup in the light DOM');
  // Canvases drawn (each widget scrolled into view first: widgets pause off screen).
  for (const id of Object.keys(NAMES)) {
    const el = page.locator(`#${id}`);
    await el.scrollIntoViewIfNeeded();
    const canvases = await el.locator('canvas').all();
    assert.ok(canvases.length >= 1, `#${id} has canvases`);
    for (const c of canvases) await waitDrawn(c, `#${id}`);
  }
  await page.locator('#frame').scrollIntoViewIfNeeded();
  const frame = frameOf(page);
  const frameCanvases = await frame.locator('canvas').all();
  assert.ok(frameCanvases.length >= 1, 'the iframe widget has canvases');
  for (const c of frameCanvases) await waitDrawn(c, 'iframe scaling-cost');
  assert.equal(await frame.locator('.site-header').count(), 0, 'the iframe page has no site header');
  assert.equal(await page.locator('[data-panic]').count(), 0, 'no panic banner');
  await page.screenshot({ path: path.join(SHOTS, 'embed-foreign-blog.png'), fullPage: true });
  clean(page, 'foreign blog');
  await page.context().close();
});

test('each embed responds to input: transport, sliders, selects (script and iframe)', async () => {
  const page = await openBlog();
  const storm = page.locator('#storm');
  await storm.scrollIntoViewIfNeeded();
  // Step pauses and advances one statistics window at a time.
  await storm.locator('[data-action=step]').click();
  await until(async () => /Play/.test(await storm.locator('[data-action=play]').textContent()));
  assert.match(await storm.locator('[data-action=play]').textContent(), /Play/, 'Step pauses the simulation');
  const t1 = await simTime(storm);
  await storm.locator('[data-action=step]').click();
  const t2 = await until(async () => { const t = await simTime(storm); return t > t1 && t; });
  assert.ok(t2 > t1, `Step advances simulated time (${t1} -> ${t2})`);
  await page.waitForTimeout(700);
  assert.equal(await simTime(storm), t2, 'paused: time stands still');
  await storm.locator('[data-action=play]').click();
  assert.ok(await until(async () => (await simTime(storm)) > t2 + 0.5), 'Play runs the simulation again');
  // A slider changes a readout: more offered load, more offered requests per second.
  const offered = (await storm.locator('[data-k=offered]').textContent()).trim();
  await storm.locator('[data-key=load] input').fill('120');
  assert.equal(await storm.locator('[data-key=load] input').inputValue(), '120');
  const changed = await until(async () => (await storm.locator('[data-k=offered]').textContent()).trim() !== offered, { timeout: 15000 });
  assert.ok(changed, `offered load readout follows the slider (was ${offered})`);
  // A select: the policy preset sets backoff and jitter.
  await storm.locator('[data-key=preset] select').selectOption({ label: 'naive' });
  assert.equal(await storm.locator('[data-key=backoff] select').inputValue(), '0', 'preset naive: no backoff');

  const quorum = page.locator('#quorum');
  await quorum.scrollIntoViewIfNeeded();
  const stale = (await quorum.locator('[data-k=stale]').textContent()).trim();
  await quorum.locator('[data-key=r] input').fill('8');
  assert.ok(await until(async () => (await quorum.locator('[data-k=stale]').textContent()).trim() !== stale), `stale readout follows R (was ${stale})`);
  assert.equal((await quorum.locator('[data-k=stale]').textContent()).trim(), '0%', 'R + W > N: no stale reads');
  assert.match(await quorum.locator('[data-k=overlap]').textContent(), /overlaps/);

  await page.locator('#frame').scrollIntoViewIfNeeded();
  const frame = frameOf(page);
  const summary = await frame.locator('[data-k=summary]').textContent();
  await frame.locator('[data-key=beta] input').fill('0.001');
  assert.ok(await until(async () => (await frame.locator('[data-k=summary]').textContent()) !== summary), 'the iframe widget follows its slider');

  // The blog's own script still works next to the widgets.
  await page.locator('#host-button').click();
  assert.equal(await page.locator('#likes').textContent(), '1 like');
  clean(page, 'foreign blog');
  await page.context().close();
});

test('the blog\'s CSS cannot reach the widgets, and the widgets\' CSS cannot reach the blog', async () => {
  const page = await openBlog();
  // The hostile rules are in force in the blog itself (else the checks below prove nothing).
  const hostButton = await styleOf(page.locator('#host-button'), ['display', 'font-family', 'width']);
  assert.equal(hostButton.display, 'block');
  assert.match(hostButton['font-family'], /Georgia/);
  const pWidth = await page.locator('#host-button').evaluate((b) => b.parentElement.clientWidth);
  assert.equal(parseFloat(hostButton.width), pWidth, 'host buttons are width: 100%');

  const storm = page.locator('#storm');
  await storm.scrollIntoViewIfNeeded();
  // (Toolbar buttons are flex items, so their computed display is "block" anyway; the seed field is
  // an inline-block input, which the blog's `input { display: block }` would turn into a block.)
  const seed = await styleOf(storm.locator('[data-key=seed] input'), ['display']);
  assert.equal(seed.display, 'inline-block', 'a widget input is not display: block');
  const play = await styleOf(storm.locator('[data-action=play]'), ['width', 'font-family', 'font-size', 'letter-spacing', 'text-transform']);
  const figureWidth = await storm.locator('figure').evaluate((f) => f.clientWidth);
  assert.ok(parseFloat(play.width) < figureWidth / 4, `a widget button is not width: 100% (${play.width} of ${figureWidth}px)`);
  const box = await styleOf(storm.locator('[data-key=breaker] input'), ['width']);
  assert.ok(parseFloat(box.width) < 40, `a widget checkbox is not width: 100% (${box.width})`);
  assert.doesNotMatch(play['font-family'], /Georgia/, 'widget font is not the blog\'s');
  assert.equal(play['font-size'], '14.4px', 'widget font size is its own (px, not the blog\'s 19px or root 25px)');
  assert.equal(play['letter-spacing'], 'normal', 'the blog\'s letter-spacing is not inherited');
  assert.equal(play['text-transform'], 'none', 'the blog\'s text-transform is not inherited');
  for (const c of await storm.locator('canvas').all()) {
    assert.equal((await styleOf(c, ['filter'])).filter, 'none', 'canvas filter is none');
  }
  const fig = await styleOf(storm.locator('figure.widget'), ['background-color', 'margin-top', 'font-family']);
  assert.equal(fig['background-color'], 'rgb(255, 255, 255)', 'figure background is the widget\'s, not hotpink or the blog\'s --bg-elev');
  assert.equal(fig['margin-top'], '0px');
  assert.doesNotMatch(fig['font-family'], /Georgia/, 'the blog\'s --font-ui does not leak in');
  const dd = await styleOf(storm.locator('[data-k=time]'), ['color', 'font-size', 'letter-spacing']);
  assert.notEqual(dd.color, 'rgb(0, 255, 0)', 'readouts are not the blog\'s lime');
  assert.notEqual(dd['font-size'], '30px');
  assert.equal(dd['letter-spacing'], 'normal');
  assert.deepEqual(await canvasBackground(storm.locator('canvas.chart').first()), [255, 255, 255], 'charts read the widget palette, not the blog\'s --bg-elev');

  // The same widget on the site's own article looks the same (same fonts, sizes, colours, boxes).
  const article = await site.newPage({ width: 1280, height: 900 }, { colorScheme: 'light' });
  await article.goto(site.url + '/articles/reliability/');
  const there = article.locator('figure[data-widget=retry-storm]').first();
  await there.scrollIntoViewIfNeeded();
  const PROPS = ['display', 'font-family', 'font-size', 'font-weight', 'line-height', 'color', 'background-color',
    'border-top-width', 'border-top-color', 'border-radius', 'padding-left', 'padding-top', 'min-height', 'letter-spacing', 'text-transform', 'filter'];
  for (const sel of ['figure.widget', '[data-action=play]', '[data-action=step]', '[data-action=speed]', '[data-k=time]', '.readout dt',
    '[data-key=clients] input', '[data-key=clients] label', '[data-key=seed] input', '[data-key=breaker] input', '[data-key=backoff] select', 'canvas', 'figcaption']) {
    const embedded = await styleOf(storm.locator(sel), PROPS);
    const onSite = await styleOf(sel === 'figure.widget' ? there : there.locator(sel), PROPS);
    assert.deepEqual(embedded, onSite, `${sel}: embedded looks like on the site`);
  }
  clean(article, 'article');
  await article.context().close();

  // Widget CSS (box-sizing, .btn, select, custom properties) does not reach the blog: the blog's
  // computed styles are the same as on the same page with the embeds stubbed out.
  const HOST = ['#title', '#intro', '#host-button', '#host-select', '#host-input', 'label[for=host-select]', '.post h2', '#outro', 'body', '.blog-header'];
  const HOST_PROPS = ['display', 'box-sizing', 'font-family', 'font-size', 'font-weight', 'line-height', 'color', 'background-color',
    'border-radius', 'border-top-width', 'padding-top', 'padding-left', 'margin-top', 'min-height', 'letter-spacing', 'text-transform', 'accent-color'];
  const hostStyles = async (p) => {
    const out = {};
    for (const sel of HOST) out[sel] = await styleOf(p.locator(sel), HOST_PROPS);
    out[':root vars'] = await p.evaluate(() => ['--bg', '--bg-elev', '--fg', '--font-ui', '--radius', '--step-0', '--c1', '--grid']
      .map((v) => `${v}:${getComputedStyle(document.documentElement).getPropertyValue(v).trim()}`));
    return out;
  };
  const withWidgets = await hostStyles(page);
  const bare = await site.newPage({ width: 1280, height: 900 }, { colorScheme: 'light' });
  await bare.route(`${site.url}/**`, (r) => r.request().resourceType() === 'document'
    ? r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>stub</title>' })
    : r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  await bare.goto(blog.url + '/');
  await bare.waitForLoadState('load');
  assert.equal(await bare.evaluate(() => customElements.get('tradeoffs-widget')), undefined, 'the stubbed page has no embeds');
  assert.deepEqual(withWidgets, await hostStyles(bare), 'the blog\'s computed styles do not change when widgets load');
  await bare.context().close();
  clean(page, 'foreign blog');
  await page.context().close();
});

test('attributes become settings; bad values are clamped with a note; unknown names show a message, not an error', async () => {
  const page = await openBlog();
  const storm = page.locator('#storm');
  assert.equal(await storm.locator('[data-key=clients] input').inputValue(), '500', 'clients="500"');
  assert.equal(await storm.locator('[data-key=clients] output').textContent(), '500');
  assert.equal(await storm.locator('[data-key=backoff] select').inputValue(), '2', 'backoff="exponential"');
  assert.equal(await storm.locator('[data-key=jitter] select').inputValue(), '1', 'jitter="full"');
  assert.equal(await storm.locator('.widget-note').count(), 0, 'valid attributes: no note');
  assert.equal(await page.locator('#storm-2 [data-key=clients] input').inputValue(), '20', 'the second element keeps its own settings');
  assert.equal(await page.locator('#storm-2 [data-key=backoff] select').inputValue(), '0', 'and its defaults');

  const quorum = page.locator('#quorum');
  const note = await quorum.locator('.widget-note').textContent();
  assert.match(note, /“n” was out of range and has been clamped/);
  assert.match(note, /“r” is not a number/);
  assert.equal(await quorum.locator('[data-key=n] input').inputValue(), '9', 'n="99" clamped to 9');
  assert.equal(await quorum.locator('[data-key=r] input').inputValue(), '1', 'r="abc": the default');
  assert.equal(await quorum.locator('[data-key=w] input').inputValue(), '2', 'w="2"');
  assert.equal(await quorum.locator('.widget-error').count(), 0);

  const bogus = page.locator('#bogus');
  const msg = bogus.locator('.tw-error');
  assert.ok(await msg.isVisible(), 'the unknown-widget message is visible');
  assert.match(await msg.textContent(), /no Tradeoffs widget called “no-such-widget”/);
  assert.match(await msg.textContent(), /retry-storm/, 'it lists the known widgets');
  assert.equal(await bogus.locator('figure').count(), 0);
  assert.ok((await msg.evaluate((p) => p.getBoundingClientRect().height)) > 10, 'the message takes room');

  // Added later by the blog's script: a name that looks like markup stays text, and a bad value
  // on a known widget is clamped with a note.
  await page.evaluate(() => {
    const a = document.createElement('tradeoffs-widget');
    a.id = 'late-bogus';
    a.setAttribute('name', '<img src=x id=injected>');
    const b = document.createElement('tradeoffs-widget');
    b.id = 'late-storm';
    b.setAttribute('name', 'retry-storm');
    b.setAttribute('clients', '99999999');
    b.setAttribute('timeout', 'soon');
    b.setAttribute('backoff', '<b>');
    document.querySelector('.post').append(a, b);
  });
  await page.locator('#late-bogus .tw-error').waitFor();
  assert.match(await page.locator('#late-bogus .tw-error').textContent(), /called “<img src=x id=injected>”/);
  assert.equal(await page.locator('#late-bogus img').count(), 0, 'the name is never parsed as HTML');
  const late = page.locator('#late-storm');
  await late.locator('figure[data-widget=retry-storm]').waitFor();
  assert.equal(await late.locator('[data-key=clients] input').inputValue(), '5000', 'clients clamped to the maximum');
  assert.equal(await late.locator('[data-key=timeout] input').inputValue(), '250', 'timeout: the default');
  const lateNote = await late.locator('.widget-note').textContent();
  assert.match(lateNote, /“clients” was out of range/);
  assert.match(lateNote, /“timeout” is not a number/);
  assert.match(lateNote, /“backoff” is not one of the options/);
  const text = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('tradeoffs-widget')].map((e) => e.shadowRoot?.textContent).join(' '));
  assert.match(text, /Some settings were adjusted/, 'shadow text is included');
  assert.doesNotMatch(text, /NaN|undefined|Infinity/);
  clean(page, 'foreign blog');
  await page.context().close();
});

test('one bundle per widget name however many elements use it; theme="dark" is dark, and follows the attribute', async () => {
  const page = await openBlog();
  // Two retry-storm elements in the page, and a third one added later.
  await page.evaluate(() => {
    const c = document.createElement('tradeoffs-widget');
    c.id = 'storm-3';
    c.setAttribute('name', 'retry-storm');
    document.querySelector('.post').append(c);
  });
  await page.locator('#storm-3 figure[data-widget=retry-storm]').waitFor();
  const count = (p) => page.bundleRequests.filter((r) => r === p).length;
  assert.equal(count('/b/w-retry-storm/tradeoffs_bg.wasm'), 1, `retry-storm wasm fetched once (${page.bundleRequests.join(', ')})`);
  assert.equal(count('/b/w-retry-storm/tradeoffs.js'), 1, 'retry-storm glue fetched once');
  assert.equal(count('/b/w-quorum-sliders/tradeoffs_bg.wasm'), 1, 'quorum-sliders wasm fetched once');
  assert.equal(page.bundleRequests.filter((r) => /\/a-/.test(r)).length, 0, 'no article bundle is fetched by an embed');
  // The three retry-storm elements are independent widgets.
  await page.locator('#storm-3 [data-key=clients] input').fill('1000');
  assert.equal(await page.locator('#storm [data-key=clients] input').inputValue(), '500');
  assert.equal(await page.locator('#storm-2 [data-key=clients] input').inputValue(), '20');

  // theme="dark": dark backgrounds and light text inside that widget only.
  const quorum = page.locator('#quorum');
  await quorum.scrollIntoViewIfNeeded();
  const q = await styleOf(quorum.locator('figure.widget'), ['background-color', 'color']);
  assert.equal(q['background-color'], 'rgb(28, 31, 38)', 'dark --bg-elev');
  assert.ok(luminance(q.color) > 0.6, `light text (${q.color})`);
  const qCanvas = quorum.locator('canvas').first();
  await waitDrawn(qCanvas, 'quorum');
  const qBg = await canvasBackground(qCanvas);
  assert.ok(luminance(qBg) < 0.05, `the chart is drawn on a dark background (${qBg})`);
  const s = await styleOf(page.locator('#storm figure.widget'), ['background-color']);
  assert.ok(luminance(s['background-color']) > 0.9, 'the light widget stays light');
  await page.locator('#quorum').screenshot({ path: path.join(SHOTS, 'embed-quorum-dark.png') });
  // Flipping the attribute restyles and redraws.
  await page.locator('#quorum').evaluate((el) => el.setAttribute('theme', 'light'));
  assert.ok(await until(async () => (await styleOf(quorum.locator('figure.widget'), ['background-color']))['background-color'] === 'rgb(255, 255, 255)'), 'theme="light" turns it light');
  assert.ok(await until(async () => luminance(await canvasBackground(qCanvas)) > 0.9), 'and the chart redraws light');
  clean(page, 'foreign blog');
  await page.context().close();
});

test('the iframe embed is sized by embed.js from its height messages', async () => {
  const page = await openBlog();
  const iframe = page.locator('#frame');
  await iframe.scrollIntoViewIfNeeded();
  const frame = frameOf(page);
  const fits = async () => {
    const h = await iframe.evaluate((f) => f.getBoundingClientRect().height);
    const doc = await frame.evaluate(() => document.documentElement.scrollHeight);
    return { h, doc, ok: h > 300 && Math.abs(h - doc) <= 2 };
  };
  let m = await until(async () => { const r = await fits(); return r.ok && r; }, { timeout: 15000 }) || await fits();
  assert.ok(m.ok, `the iframe is as tall as its document (${m.h}px vs ${m.doc}px)`);
  assert.match(await iframe.evaluate((f) => f.style.height), /^\d+px$/, 'embed.js set an inline height');
  assert.ok(await page.evaluate(() => window.hostMessages.includes('tradeoffs:height')), 'the blog\'s own message listener still runs');
  assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight > innerHeight + 1), false, 'the frame does not scroll');
  // It follows the content: opening "Assumptions" makes the document taller, and the frame too.
  const before = m.h;
  await frame.locator('details.assumptions summary').first().click();
  m = await until(async () => { const r = await fits(); return r.ok && r.h > before + 20 && r; }, { timeout: 15000 }) || await fits();
  assert.ok(m.h > before + 20 && m.ok, `the frame grows with its content (${before}px -> ${m.h}px, document ${m.doc}px)`);
  // Settings in the src reach the widget, and the credit link carries them.
  assert.equal(await frame.locator('[data-key=load] input').inputValue(), '20000');
  assert.equal(await frame.locator('[data-key=alpha] input').inputValue(), '0.02');
  const href = await frame.locator('#open-in').getAttribute('href');
  assert.match(href, /^\/articles\/scaling\/\?slot=\d+&load=20000&alpha=0\.02#w\d+$/);
  clean(page, 'foreign blog');
  await page.context().close();
});

// One valid non-default setting per widget, found on its own embed page rather than listed here
// (so a new widget needs no row): its first slider, set to the slider's maximum.
async function embedCase(page, name) {
  await page.goto(`${site.url}/embed/${name}/`);
  const input = page.locator(`#embed figure[data-widget="${name}"] .control-range input`).first();
  await input.waitFor({ timeout: 30000 });
  const key = await input.evaluate((el) => el.closest('[data-key]').dataset.key);
  const max = await input.getAttribute('max');
  return [name, `${key}=${max}`, `[data-key=${key}] input`, max];
}

test('every /embed/<widget>/ page: the widget alone, and "Open in Tradeoffs" reopens it in its article', async () => {
  const page = await site.newPage({ width: 800, height: 700 }, { colorScheme: 'light' });
  const inArticle = await site.newPage({ width: 1280, height: 900 }, { colorScheme: 'light' });
  const listed = fs.readdirSync(path.join(DIST, 'embed')).sort();
  const articles = fs.readdirSync(path.join(DIST, 'articles'));
  const onPages = new Set(articles.flatMap((a) => [...fs.readFileSync(path.join(DIST, 'articles', a, 'index.html'), 'utf8').matchAll(/data-name="([a-z-]+)"/g)].map((m) => m[1])));
  assert.deepEqual(listed, [...onPages].sort(), 'an embed page for every widget on the articles');
  for (const name of listed) {
    const [, query, control, value] = await embedCase(page, name);
    await page.goto(`${site.url}/embed/${name}/?${query}`);
    const fig = page.locator(`#embed figure[data-widget="${name}"]`);
    await fig.waitFor({ timeout: 30000 });
    assert.equal(await page.locator('figure[data-widget]').count(), 1, `${name}: exactly one widget`);
    assert.equal(await page.locator('.site-header, .site-footer, nav').count(), 0, `${name}: no site header, footer or nav`);
    assert.equal(await fig.locator(control).inputValue(), value, `${name}: ${query} applied`);
    assert.equal(await fig.locator('.widget-note').count(), 0, `${name}: no note for a valid setting`);
    for (const c of await fig.locator('canvas').all()) await waitDrawn(c, `/embed/${name}/`);
    const link = page.locator('#open-in');
    assert.ok(await link.isVisible(), `${name}: the credit link shows`);
    assert.match(await link.textContent(), /Open in Tradeoffs/);
    assert.equal(await link.getAttribute('target'), '_blank');
    const href = await link.getAttribute('href');
    const m = href.match(/^\/articles\/([a-z-]+)\/\?slot=(\d+)&(.*)#w(\d+)$/);
    assert.ok(m, `${name}: ${href} points to an article slot with the settings`);
    assert.equal(m[3], query, `${name}: the settings in the link`);
    assert.equal(m[2], m[4], `${name}: ?slot and #w agree`);
    await page.screenshot({ path: path.join(SHOTS, `embed-page-${name}.png`) });
    // Following it opens the article at that slot, with the same widget and settings.
    await inArticle.goto(site.url + href);
    const there = inArticle.locator(`#w${m[2]} figure[data-widget]`);
    await there.waitFor({ timeout: 30000 });
    assert.equal(await there.getAttribute('data-widget'), name, `${name}: slot ${m[2]} of ${m[1]} holds the same widget`);
    assert.equal(await there.locator(control).inputValue(), value, `${name}: the article widget has the settings`);
    // The embed page carries only this widget's CSS rules (b/w-<name>/embed.css); every kind of
    // element (tag and classes) styled in the article must look the same there.
    const [embedded, onSite] = [await looks(fig), await looks(there)];
    assert.ok(Object.keys(embedded).length > 10, `${name}: elements compared`);
    for (const [kind, style] of Object.entries(embedded)) {
      if (kind in onSite) assert.deepEqual(style, onSite[kind], `${name}: ${kind} looks the same on its embed page as in the article`);
    }
    clean(page, `/embed/${name}/`);
    clean(inArticle, href);
  }
  // The iframe page follows the reader's system theme through CSS alone, live (no script).
  const dark = await site.newPage({ width: 800, height: 700 }, { colorScheme: 'dark' });
  await dark.goto(`${site.url}/embed/scaling-lever/`);
  const lever = dark.locator('figure[data-widget=scaling-lever] .ranking li').first();
  await lever.waitFor();
  assert.equal((await styleOf(dark.locator('body'), ['background-color']))['background-color'], 'rgb(28, 31, 38)', 'dark system theme: dark page');
  await dark.emulateMedia({ colorScheme: 'light' });
  assert.ok(await until(async () => (await styleOf(dark.locator('body'), ['background-color']))['background-color'] === 'rgb(255, 255, 255)'), 'and light when the system turns light');
  clean(dark, '/embed/scaling-lever/ (theme)');
  // Without settings: the link names only the slot. With junk: normalised, with a note.
  await page.goto(`${site.url}/embed/quorum-sliders/`);
  await page.locator('figure[data-widget=quorum-sliders]').waitFor();
  assert.match(await page.locator('#open-in').getAttribute('href'), /^\/articles\/consistency\/#w\d+$/);
  await page.goto(`${site.url}/embed/retry-storm/?clients=99999&bogus=1&backoff=%3Cb%3E&jitter=full`);
  await page.locator('figure[data-widget=retry-storm]').waitFor();
  assert.match(await page.locator('.widget-note').textContent(), /“clients” was out of range/);
  assert.match(await page.locator('#open-in').getAttribute('href'), /^\/articles\/reliability\/\?slot=\d+&jitter=full&clients=5000#w\d+$/, 'only valid, clamped settings in the link');
  clean(page, '/embed/ junk');
  await page.context().close();
  await inArticle.context().close();
});
