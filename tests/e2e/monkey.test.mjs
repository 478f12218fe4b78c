// Monkey: every widget on every article takes a seeded sequence of random interactions (sliders
// dragged or set to random values including their ends, options picked, toggles flipped, seeds
// typed, buttons and SVG links pressed, the speed at its maximum at some point, short pauses now
// and then). Afterwards there must be no console error, no panic, no NaN / Infinity / undefined
// anywhere in the widget, every canvas still drawn, and the widget must still respond to a control.
//
// Deterministic: MONKEY_SEED (default below) and the widget's place give each widget its seed; a
// failure prints the seed and the last interactions. MONKEY_STEPS sets the number per widget,
// MONKEY_ONLY (a regular expression on "slug/widget#slot") replays just the widgets it matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useSite, articleSlugs, openArticle, widgetsOnPage, widgetAt, canvasDrawn, prng, hash32, scrollIntoView,
} from './helpers.mjs';

const SEED = Number(process.env.MONKEY_SEED ?? 20240611);
const STEPS = Number(process.env.MONKEY_STEPS ?? 500);
const ONLY = process.env.MONKEY_ONLY ? new RegExp(process.env.MONKEY_ONLY) : null;
const BAD_TEXT = /NaN|Infinity|undefined/;
// The readouts' formatter shows a non-finite number as a lone "–" ("– ms", "–%", "$–"); a dash
// between names or numbers ("R0 – R1", "2–3") is not one.
const HIDDEN_NON_FINITE = /–(?!\s*[A-Za-z]*\d)/;

const site = useSite();

/**
 * One random interaction with the widget `fig`, in the page; `r` holds the random numbers to use.
 * Returns [kind, what it did]. Links and anything that could navigate away or open a window are skipped.
 */
function monkeyAct(fig, { r, speedMax }) {
  let k = 0;
  const rnd = () => r[k++ % r.length];
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const usable = (el) => !el.disabled && el.getClientRects().length > 0 && !el.closest('a[href], [inert]');
  const all = (sel) => [...fig.querySelectorAll(sel)].filter(usable);
  const label = (el) => el.dataset.action || (el.dataset.link && `link ${el.dataset.link}`)
    || el.closest('[data-key]')?.dataset.key || el.getAttribute('aria-label') || el.tagName.toLowerCase();
  const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));
  const setValue = (el, v, events) => { el.value = String(v); for (const e of events) fire(el, e); };

  const s = speedMax && all('select[data-action=speed]')[0];
  if (s) { // otherwise (no speed control here) an ordinary random interaction
    const best = [...s.options].reduce((a, b) => (parseFloat(b.text) > parseFloat(a.text) ? b : a));
    setValue(s, best.value, ['input', 'change']);
    return ['speed', `speed = ${s.options[s.selectedIndex].text} (the maximum)`];
  }
  const buttons = all('button, [role=button]').filter((b) => !b.hasAttribute('formaction') && b.getAttribute('type') !== 'submit');
  const groups = [
    ['range', all('input[type=range]'), 40],
    ['select', all('select'), 14],
    ['checkbox', all('input[type=checkbox]'), 8],
    ['number', all('input[type=number]'), 4],
    ['button', buttons.filter((b) => b.dataset.action !== 'share'), 31],
    ['share', buttons.filter((b) => b.dataset.action === 'share'), 3],
  ].filter((g) => g[1].length);
  if (!groups.length) return ['none', 'nothing to press'];
  let x = rnd() * groups.reduce((n, g) => n + g[2], 0);
  const [kind, els] = groups.find((g) => (x -= g[2]) < 0) ?? groups[groups.length - 1];
  const el = pick(els);
  switch (kind) {
    case 'range': {
      const min = parseFloat(el.min || '0'), max = parseFloat(el.max || '100');
      const step = el.step === 'any' ? 0 : parseFloat(el.step || '1');
      const u = rnd();
      let v = u < 0.2 ? min : u < 0.4 ? max : min + rnd() * (max - min);
      if (step > 0) v = min + Math.round((v - min) / step) * step;
      const from = parseFloat(el.value);
      // A third of the time a drag: a few input events on the way, then change.
      const hops = rnd() < 0.33 ? 2 + Math.floor(rnd() * 4) : 0;
      for (let i = 1; i <= hops; i++) setValue(el, from + ((v - from) * i) / (hops + 1), ['input']);
      setValue(el, v, ['input', 'change']);
      return [kind, `${label(el)} = ${el.value}${hops ? ` (dragged from ${from})` : ''}`];
    }
    case 'select': {
      const opts = [...el.options].filter((o) => !o.disabled);
      const o = pick(opts);
      setValue(el, o.value, ['input', 'change']);
      return [kind, `${label(el)} = ${o.text}`];
    }
    case 'checkbox':
      el.click();
      return [kind, `${label(el)} ${el.checked ? 'on' : 'off'}`];
    case 'number': {
      // What a reader might type, odd values included.
      const v = pick(['0', '1', '-1', '42', '4294967295', '4294967296', '9007199254740993', '1e21', '2.5', '',
        String(Math.floor(rnd() * 1e6))]);
      setValue(el, v, ['input', 'change']);
      return [kind, `${label(el)} typed "${v}"`];
    }
    default: { // button, share
      const keyboard = el.getAttribute('role') === 'button' && rnd() < 0.3;
      if (keyboard) {
        el.dispatchEvent(new KeyboardEvent('keydown', { key: rnd() < 0.5 ? 'Enter' : ' ', bubbles: true, cancelable: true }));
      } else if (el instanceof HTMLElement) {
        el.click();
      } else {
        el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
      }
      return [kind, `press ${label(el)}${keyboard ? ' (keyboard)' : ''}`];
    }
  }
}

/** Broken numbers in the widget's text, labels and input values, each with its surroundings. */
function brokenText(fig, re) {
  const parts = [fig.textContent];
  for (const el of fig.querySelectorAll('*')) {
    for (const a of ['aria-label', 'aria-valuetext', 'title']) if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
    if (el instanceof HTMLInputElement) parts.push(el.value);
  }
  const found = [];
  for (const p of parts) for (const m of p.matchAll(new RegExp(re, 'g'))) found.push(`…${p.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
  return found;
}

/** Numeric readouts and slider value texts showing a non-finite number as "–". */
function nonFinite(fig, re) {
  const shown = [...fig.querySelectorAll('dd[data-k]')].map((e) => [`readout ${e.dataset.k}`, e.textContent]);
  for (const i of fig.querySelectorAll('input[aria-valuetext]')) shown.push([`slider ${i.closest('[data-key]')?.dataset.key}`, i.getAttribute('aria-valuetext')]);
  return shown.filter(([, t]) => new RegExp(re).test(t.trim())).map(([k, t]) => `${k}: "${t}"`);
}

/** What a reader sees change: readouts, canvas pixels and the SVG diagrams' elements and states. */
function snapshot(fig) {
  const out = [...fig.querySelectorAll('[data-k]')].map((e) => `${e.dataset.k}=${e.textContent}`);
  for (const c of fig.querySelectorAll('canvas')) {
    let h = 0x811c9dc5;
    if (c.width && c.height) {
      const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
      for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 0x01000193) >>> 0;
    }
    out.push(`canvas ${c.width}x${c.height} ${h}`);
  }
  // Diagrams by structure and state, not geometry: a timeline's axis rescales as the clock runs.
  for (const el of fig.querySelectorAll('svg, svg *')) {
    const attrs = [...el.attributes].filter((a) => /^(class|role|aria-.*|data-.*)$/.test(a.name));
    out.push(`<${el.tagName} ${attrs.map((a) => `${a.name}=${a.value}`).join(' ')}>`);
  }
  return out.join('\n');
}

/** Waits until `snapshot` stays the same for `quietMs`; returns it (null if it never settles). */
async function settled(w, quietMs = 600, timeout = 30000) {
  const end = Date.now() + timeout;
  let last = await w.evaluate(snapshot), since = Date.now();
  while (Date.now() < end) {
    await w.page().waitForTimeout(150);
    const now = await w.evaluate(snapshot);
    if (now !== last) { last = now; since = Date.now(); } else if (Date.now() - since >= quietMs) return now;
  }
  return null;
}

/** Changes control `i` (ranges, then selects, then toggles) to another value; returns what it did, or null. */
function changeControl(fig, i) {
  const controls = [...fig.querySelectorAll('input[type=range], select:not([data-action]), input[type=checkbox]')]
    .filter((el) => !el.disabled && el.getClientRects().length > 0);
  const el = controls[i];
  if (!el) return null;
  const key = el.closest('[data-key]')?.dataset.key ?? el.tagName;
  const fire = (type) => el.dispatchEvent(new Event(type, { bubbles: true }));
  if (el.type === 'checkbox') { el.click(); return `${key} ${el.checked ? 'on' : 'off'}`; }
  if (el.tagName === 'SELECT') {
    const opts = [...el.options].filter((o) => !o.disabled && o.value !== el.value);
    if (!opts.length) return `${key} (single option)`;
    el.value = opts[0].value;
  } else {
    const before = el.value;
    el.value = el.value === el.max ? el.min : el.max;
    if (el.value === before) return `${key} (cannot move)`;
  }
  fire('input');
  fire('change');
  return `${key} = ${el.value}`;
}

async function press(w, action, times = 1) {
  for (let i = 0; i < times; i++) await w.locator(`[data-action=${action}]`).click();
}

/**
 * Asserts that changing some control shows in a readout, a canvas or the diagram. Animated widgets
 * are paused, restarted (Reset) and stepped the same number of windows before and after the
 * change, so the comparison is like for like.
 */
async function respondsToControls(page, w, what) {
  const animated = (await w.locator('[data-action=play]').count()) > 0;
  let before;
  if (animated) {
    if ((await w.locator('[data-action=play]').getAttribute('aria-pressed')) === 'true') await press(w, 'play');
    await press(w, 'reset');
    await press(w, 'step', 3);
    before = await settled(w);
    assert.ok(before !== null, `${what}: paused, the widget stands still`);
    await press(w, 'reset');
    await press(w, 'step', 3);
    assert.equal(await settled(w), before, `${what}: Reset and the same steps show the same numbers again`);
  } else {
    before = await settled(w);
    assert.ok(before !== null, `${what}: settles after the monkey (readouts stop changing within 30 s)`);
  }
  const tried = [];
  for (let i = 0; ; i++) {
    const did = await w.evaluate(changeControl, i);
    if (did === null) break;
    tried.push(did);
    if (animated) {
      await press(w, 'reset');
      await press(w, 'step', 3);
      if ((await settled(w)) !== before) return;
    } else {
      for (const end = Date.now() + 5000; Date.now() < end; await page.waitForTimeout(100)) {
        if ((await w.evaluate(snapshot)) !== before) return;
      }
    }
  }
  assert.fail(`${what}: no control changes a readout, canvas or diagram (tried: ${tried.join('; ')})`);
}

test('monkey: random interactions leave every widget working', async (t) => {
  const totals = [];
  for (const slug of articleSlugs()) {
    const page = await site.newPage();
    // Nothing may navigate away or open a window; if something does, the monkey pressed it.
    const escapes = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame() && !f.url().includes(`/articles/${slug}`)) escapes.push(f.url()); });
    page.context().on('page', (p) => escapes.push(`opened ${p.url()}`));
    await openArticle(page, site.url, slug);
    const widgets = await widgetsOnPage(page);
    assert.ok(widgets.length >= 1, `${slug}: has widgets`);
    for (const { index, name } of widgets) {
      const what = `${slug}/${name}#${index}`;
      const seed = (SEED ^ hash32(`${slug}#${index}`)) >>> 0;
      if (ONLY && !ONLY.test(what)) continue;
      await t.test(what, async () => {
        const w = widgetAt(page, index);
        const rand = prng(seed);
        const speedAt = Math.floor(rand() * STEPS * 0.8);
        const log = [];
        const context = () => `seed ${seed} (MONKEY_SEED=${SEED}); last interactions:\n  ${log.slice(-12).join('\n  ')}`;
        const seen = page.problems.length; // a widget before may have failed already
        const check = async (when) => {
          assert.deepEqual(page.problems.slice(seen), [], `${what} ${when}: no console errors or failed requests; ${context()}`);
          assert.equal(await page.locator('[data-panic]').count(), 0, `${what} ${when}: no panic; ${context()}`);
          assert.deepEqual(escapes, [], `${what} ${when}: nothing navigated away or opened a window; ${context()}`);
        };
        await scrollIntoView(w);
        // An element handle: much cheaper per call than re-resolving the locator.
        let fig = await w.elementHandle();
        const started = Date.now();
        let tried = 0;
        const kinds = {};
        for (let i = 0; i < STEPS; i++) {
          const r = Array.from({ length: 8 }, rand);
          const [kind, did] = await fig.evaluate(monkeyAct, { r, speedMax: i === speedAt });
          log.push(`${i}: ${did}`);
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          tried++;
          const pause = rand();
          if (pause < 0.03) await page.waitForTimeout(20 + Math.floor(rand() * 300));
          else if (pause < 0.10) await fig.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok())));
          if (i % 50 === 49) {
            await check(`after ${i + 1} interactions`);
            if (!(await fig.evaluate((f) => f.isConnected))) fig = await w.elementHandle();
            await scrollIntoView(w); // layout may have moved it
          }
        }
        await fig.dispose();
        const mix = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
        console.log(`  ${what}: ${tried} interactions (${mix}) in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`);
        totals.push(tried);
        if (await w.locator('select[data-action=speed]').count()) {
          assert.ok(log.some((l) => /speed = .*maximum/.test(l)), `${what}: the speed was set to its maximum`);
        }

        // Let the widget run on a little, then look at it.
        await page.waitForTimeout(500);
        await check('afterwards');
        const bad = await w.evaluate(brokenText, BAD_TEXT.source);
        assert.deepEqual(bad, [], `${what}: no NaN, Infinity or undefined shown; ${context()}`);
        assert.deepEqual(await w.evaluate(nonFinite, HIDDEN_NON_FINITE.source), [], `${what}: no readout shows a non-finite number as "–"; ${context()}`);
        for (const [ci, c] of (await w.locator('canvas').all()).entries()) {
          const h = await c.elementHandle();
          const drawn = await page.waitForFunction((c) => {
            if (!c.width || !c.height) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return true;
            return false;
          }, h, { timeout: 5000, polling: 100 }).then(() => true, () => false);
          assert.ok(drawn && (await canvasDrawn(c)), `${what}: canvas ${ci} (${await c.getAttribute('aria-label')}) is drawn, not blank; ${context()}`);
        }
        assert.equal(await w.locator('.widget-error').count(), 0, `${what}: no widget error; ${context()}`);
        await respondsToControls(page, w, `${what} (${context()})`);
        await check('after the control check');
      });
    }
    await page.context().close();
  }
  const total = totals.reduce((a, b) => a + b, 0);
  console.log(`monkey: ${total} interactions over ${totals.length} widgets (${STEPS} each)`);
  assert.ok(totals.length > 0, 'at least one widget was exercised');
  assert.equal(total, totals.length * STEPS, 'every widget took all its interactions');
});
