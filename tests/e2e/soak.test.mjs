// Soak: every animated widget (one with a Play/Pause transport) runs at its fastest speed (100×)
// for 30 simulated minutes, alone on its page (the page's other animated widgets are paused);
// reaching them within the wall-clock budget is part of the test. After a forced garbage collection at the
// one-simulated-minute mark (the charts' one-minute buffers are full by then) and again at the
// end, neither the JS heap nor the wasm memory may have grown by 10 MB or more. Animation frames
// and simulated time must keep coming to the very end, without console errors or a panic.
// The widget's fault buttons (outage, slowdown, black hole…) are pressed in turn every few
// seconds, so the run spends much of its time in the overloaded states where queues fill up.
//
// Budget: SOAK_SECONDS wall-clock seconds per widget (default: 170 s shared by all of them, at
// most 55 s each; 30 simulated minutes take about 20 s), SOAK_SIM_SECONDS simulated seconds
// (default 1800).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';
import {
  DIST, articleSlugs, clean, noPanic, openArticle, widgetsOnPage, widgetAt, simTime, waitSimPast,
  setPlaying, maxSpeed, scrollIntoView,
} from './widget-helpers.mjs';

const TARGET_SIM_S = Number(process.env.SOAK_SIM_SECONDS ?? 1800);
const BASELINE_SIM_S = 60;
const SAMPLE_MS = 5000;
const MAX_GROWTH_MB = 10;
const MB = 1024 * 1024;

let server, browser;
before(async () => {
  server = await serve(DIST);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

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
  const scout = await newPage(browser);
  for (const slug of articleSlugs()) {
    await openArticle(scout, server.url, slug);
    for (const w of await widgetsOnPage(scout)) if (w.animated) found.push({ slug, ...w });
  }
  clean(scout, 'discovery');
  await scout.context().close();
  assert.ok(found.length >= 1, 'the site has at least one animated widget');
  const wallS = Number(process.env.SOAK_SECONDS ?? Math.min(55, Math.floor(170 / found.length)));
  console.log(`soak: ${found.length} animated widgets, up to ${TARGET_SIM_S} simulated s or ${wallS} s of wall-clock time each`);

  const results = [];
  for (const { slug, index, name } of found) {
    const what = `${slug}/${name}#${index}`;
    await t.test(what, async () => {
      const page = await newPage(browser);
      await page.addInitScript(instrument);
      await openArticle(page, server.url, slug);
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
      const deadline = start + wallS * 1000;

      // Baseline at one simulated minute (or sooner if the budget would not allow it).
      const baseWait = Math.max(5000, Math.min(20000, (deadline - Date.now()) / 3));
      await waitSimPast(page, w, BASELINE_SIM_S, baseWait).catch(() => {});
      const baseT = await simTime(w);
      const base = await memory(page, cdp);

      // Run, sampling simulated time and animation frames every few seconds.
      const playing = () => w.locator('[data-action=play]').getAttribute('aria-pressed').then((p) => p === 'true');
      const sample = async () => ({ at: Date.now(), t: await simTime(w), frames: await page.evaluate(() => window.__frames), playing: await playing() });
      const samples = [await sample()];
      let ended = false; // a simulation that ends by itself pauses its transport
      for (;;) {
        const left = deadline - Date.now();
        if (samples[samples.length - 1].t >= TARGET_SIM_S || left < 1000) break;
        await waitSimPast(page, w, TARGET_SIM_S - 0.05, Math.min(SAMPLE_MS, left)).catch(() => {});
        const s = await sample();
        samples.push(s);
        if (!s.playing) { ended = true; break; }
        pressed.add(await pressFault(w, faults++));
      }
      const end = samples[samples.length - 1];
      const stats = await memory(page, cdp);
      // The last interval, after everything else: are frames and simulated time still coming?
      const f0 = await page.evaluate(() => window.__frames);
      const t0 = await simTime(w);
      await page.waitForTimeout(1000);
      const f1 = await page.evaluate(() => window.__frames);
      const t1 = await simTime(w);

      pressed.delete(null);
      const row = {
        widget: what, speed, simulated_s: end.t, ended, wall_s: Math.round((end.at - start) / 1000), faults: [...pressed].join(' '),
        js_heap_mb: `${mb(base.js)} → ${mb(stats.js)} (${(stats.js - base.js) >= 0 ? '+' : ''}${mb(stats.js - base.js)})`,
        wasm_mb: `${mb(base.wasm)} → ${mb(stats.wasm)} (+${mb(stats.wasm - base.wasm)})`,
      };
      results.push(row);
      console.log(`  ${what} at ${speed}, faults ${row.faults || 'none'}: ${end.t} simulated s in ${row.wall_s} s${ended ? ' (the simulation ended by itself)' : ''}; JS heap ${row.js_heap_mb} MB; wasm memory ${row.wasm_mb} MB`);

      assert.ok(baseT > 0 && end.t > baseT, `${what}: simulated time advanced from ${baseT} s to ${end.t} s`);
      assert.ok(ended || end.t >= TARGET_SIM_S, `${what}: reached ${TARGET_SIM_S} simulated s within ${wallS} s (got ${end.t} s)`);
      // Every interval while it played: simulated time and frames moved on.
      for (let i = 1; i < samples.length - (ended ? 1 : 0); i++) {
        const [a, b] = [samples[i - 1], samples[i]];
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
