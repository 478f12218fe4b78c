// Soak: every animated widget (one with a Play/Pause transport) runs at its fastest speed (100×)
// for 30 simulated minutes, alone on its page (the page's other animated widgets are paused), and
// must get there (or end by itself), however long that takes on the machine: the test reads the
// simulated time from the widget, and its only wall-clock limit is a generous guard against a hang.
// After a forced garbage collection at the one-simulated-minute mark (the charts' one-minute
// buffers are full by then) and again at the end, neither the JS heap nor the wasm memory may
// have grown by 10 MB or more. Animation frames and simulated time must keep coming to the very
// end, without console errors or a panic. The widget's fault buttons (outage, slowdown, black
// hole…) are pressed in turn every few seconds, so the run spends much of its time in the
// overloaded states where queues fill up.
//
// SOAK_SIM_SECONDS: simulated seconds per widget (default 1800; about 20 s each on a quiet
// machine). SOAK_TIMEOUT_SECONDS: the hang guard per widget (default 600).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useSite, articleSlugs, clean, noPanic, openArticle, widgetsOnPage, widgetAt, clockTime, waitSimPast,
  setPlaying, maxSpeed, scrollIntoView,
} from './helpers.mjs';

const TARGET_SIM_S = Number(process.env.SOAK_SIM_SECONDS ?? 1800);
const TIMEOUT_MS = Number(process.env.SOAK_TIMEOUT_SECONDS ?? 600) * 1000;
const BASELINE_SIM_S = 60;
/** How often (wall clock) the run is sampled and the next fault pressed; not a limit. */
const SAMPLE_MS = 5000;
const MAX_GROWTH_MB = 10;
const MB = 1024 * 1024;

const site = useSite();

/** Captures every wasm instance's memory and counts requestAnimationFrame callbacks. */
function instrument() {
  window.__wasmMemories = [];
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    const mem = instance?.exports?.memory;
    if (mem instanceof WebAssembly.Memory) window.__wasmMemories.push(mem);
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = function (...a) { return streaming.apply(this, a).then(keep); };
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...a) { return plain.apply(this, a).then(keep); };
  window.__frames = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { window.__frames++; cb(t); });
}

/** JS heap used and wasm memory, in bytes, after forcing garbage collection. */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__wasmMemories.reduce((n, m) => n + m.buffer.byteLength, 0));
  return { js: usedSize, wasm };
}

const mb = (b) => (b / MB).toFixed(2);

/** Presses the widget's `n`-th fault button (any button but the transport's and Share), in turn. */
async function pressFault(widget, n) {
  return widget.evaluate((f, n) => {
    const faults = [...f.querySelectorAll('button[data-action]')]
      .filter((b) => !b.closest('.transport') && !['play', 'step', 'reset', 'share', 'embed'].includes(b.dataset.action) && !b.disabled);
    const b = faults[n % Math.max(1, faults.length)];
    b?.click();
    return b?.dataset.action ?? null;
  }, n);
}

test('soak: animated widgets at full speed keep running without growing memory', async (t) => {
  // Find the animated widgets from the DOM, so a new one joins automatically.
  const found = [];
  const scout = await site.newPage();
  for (const slug of articleSlugs()) {
    await openArticle(scout, site.url, slug);
    for (const w of await widgetsOnPage(scout)) if (w.animated) found.push({ slug, ...w });
  }
  clean(scout, 'discovery');
  await scout.context().close();
  assert.ok(found.length >= 1, 'the site has at least one animated widget');
  console.log(`soak: ${found.length} animated widgets, ${TARGET_SIM_S} simulated s each`);

  const results = [];
  for (const { slug, index, name } of found) {
    const what = `${slug}/${name}#${index}`;
    await t.test(what, { timeout: TIMEOUT_MS }, async () => {
      const page = await site.newPage();
      await page.addInitScript(instrument);
      await openArticle(page, site.url, slug);
      const wasmCount = await page.evaluate(() => window.__wasmMemories.length);
      assert.ok(wasmCount >= 1, `${what}: the wasm memory is reachable (${wasmCount} instances seen)`);
      for (const other of await widgetsOnPage(page)) {
        if (other.animated && other.index !== index) await setPlaying(widgetAt(page, other.index), false);
      }
      const w = widgetAt(page, index);
      await scrollIntoView(w);
      const speed = await maxSpeed(w);
      await setPlaying(w, true);
      const cdp = await page.context().newCDPSession(page);
      const start = Date.now();
      let faults = 0;
      const pressed = new Set([await pressFault(w, faults++)]);

      // Run, sampling simulated time and animation frames every few seconds. A sample that finds
      // the simulated time where the last one left it ends the run (the assertions below say so).
      const playing = () => w.locator('[data-action=play]').getAttribute('aria-pressed').then((p) => p === 'true');
      const sample = async () => ({ at: Date.now(), t: await clockTime(w), frames: await page.evaluate(() => window.__frames), playing: await playing() });
      let ended = false; // a simulation that ends by itself pauses its transport
      /** Samples until the clock passes `t` (or the run ends or stalls), pressing faults between samples. */
      const runTo = async (t, samples) => {
        for (;;) {
          const last = samples[samples.length - 1];
          if (last.t >= t || ended) return;
          await waitSimPast(page, w, t - 0.05, SAMPLE_MS).catch(() => {});
          const s = await sample();
          samples.push(s);
          if (!s.playing) { s.ended = ended = true; return; }
          if (!(s.t > last.t)) return;
          pressed.add(await pressFault(w, faults++));
        }
      };

      // Baseline at one simulated minute.
      const warmup = [await sample()];
      await runTo(BASELINE_SIM_S, warmup);
      const baseT = await clockTime(w);
      const base = await memory(page, cdp);
      const samples = [await sample()];
      await runTo(TARGET_SIM_S, samples);
      const end = samples[samples.length - 1];
      const stats = await memory(page, cdp);
      // The last interval, after everything else: are frames and simulated time still coming
      // (thirty more frames and a later clock, waited for as conditions, not as milliseconds)? Once
      // ended, thirty frames of the test's own later the clock must not have moved.
      const f0 = await page.evaluate(() => window.__frames);
      const t0 = await clockTime(w);
      if (ended) {
        await page.evaluate(() => new Promise((done) => {
          let n = 30;
          const tick = () => (--n <= 0 ? done() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }));
      } else {
        await page.waitForFunction((f0) => window.__frames > f0 + 30, f0, { timeout: 10000, polling: 50 }).catch(() => {});
        await waitSimPast(page, w, t0, 10000).catch(() => {});
      }
      const f1 = await page.evaluate(() => window.__frames);
      const t1 = await clockTime(w);

      pressed.delete(null);
      const row = {
        widget: what, speed, simulated_s: end.t, ended, wall_s: Math.round((end.at - start) / 1000), faults: [...pressed].join(' '),
        js_heap_mb: `${mb(base.js)} → ${mb(stats.js)} (${(stats.js - base.js) >= 0 ? '+' : ''}${mb(stats.js - base.js)})`,
        wasm_mb: `${mb(base.wasm)} → ${mb(stats.wasm)} (+${mb(stats.wasm - base.wasm)})`,
      };
      results.push(row);
      console.log(`  ${what} at ${speed}, faults ${row.faults || 'none'}: ${end.t} simulated s in ${row.wall_s} s${ended ? ' (the simulation ended by itself)' : ''}; JS heap ${row.js_heap_mb} MB; wasm memory ${row.wasm_mb} MB`);

      // A run that ends by itself before the baseline (the secrets playhead: one simulated minute)
      // has nothing after it; it must have got to its end.
      assert.ok(baseT > 0 && (end.t > baseT || (ended && end.t >= baseT)), `${what}: simulated time advanced from ${baseT} s to ${end.t} s`);
      assert.ok(ended || baseT >= BASELINE_SIM_S, `${what}: the baseline was taken at ${BASELINE_SIM_S} simulated s (got ${baseT} s)`);
      assert.ok(ended || end.t >= TARGET_SIM_S, `${what}: reached ${TARGET_SIM_S} simulated s (got ${end.t} s)`);
      // Every interval while it played: simulated time and frames moved on.
      for (const [a, b] of [...warmup.slice(1).map((b, i) => [warmup[i], b]), ...samples.slice(1).map((b, i) => [samples[i], b])]) {
        if (b.ended) continue;
        assert.ok(b.t > a.t, `${what}: simulated time kept advancing (${a.t} s then ${b.t} s, ${b.at - a.at} ms apart)`);
        assert.ok(b.frames > a.frames, `${what}: animation frames kept coming (${a.frames} then ${b.frames})`);
      }
      if (!ended) {
        assert.ok(f1 > f0 && t1 > t0, `${what}: still running at the end (frames ${f0} → ${f1}, time ${t0} → ${t1} s)`);
      } else {
        assert.equal(t1, t0, `${what}: once ended and paused, the time stays (${t0} → ${t1} s)`);
      }
      assert.ok(stats.js - base.js < MAX_GROWTH_MB * MB, `${what}: the JS heap grew by ${mb(stats.js - base.js)} MB (< ${MAX_GROWTH_MB} MB)`);
      assert.ok(stats.wasm - base.wasm < MAX_GROWTH_MB * MB, `${what}: the wasm memory grew by ${mb(stats.wasm - base.wasm)} MB (< ${MAX_GROWTH_MB} MB)`);
      assert.equal(await w.locator('.widget-error').count(), 0, `${what}: no widget error`);
      await noPanic(page, what);
      clean(page, what);
      await cdp.detach();
      await page.context().close();
    });
  }
  console.table(results);
});
