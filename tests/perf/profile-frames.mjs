// Ad-hoc: CPU profile of a running widget (`URL=/embed/<widget>/?…`; the retry storm at 5,000
// clients by default), max speed, 4x throttle. Prints where the time goes (self time by function /
// URL) and the frame-time distribution. `TRACE=1` first traces 3 s of the main thread: time by
// event, the number of layouts (whole or partial, objects laid out) and what invalidated them.
// `CLICK=<selector>` clicks something in the widget first (`[data-action=tour]`), `CSS='…'` injects a style sheet first (to try a change without a build), `HIDE=<selector>`
// hides elements. `VW=1920` (and `VH`) sets the viewport; `SEL=` picks the widget, for a talk slide:
// `VW=1920 SEL='.slide.is-current figure[data-widget]' URL='/talk/reliability/?slide=4'`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.TRADEOFFS_DIST ?? path.join(ROOT, 'dist');
const server = await serve(DIST, { gzip: true });
const browser = await launch();
const viewport = process.env.VW ? { width: Number(process.env.VW), height: Number(process.env.VH ?? 1080) } : { width: 1280, height: 900 };
const context = await browser.newContext({ viewport, bypassCSP: true });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.THROTTLE ?? 4) });
await page.goto(server.url + (process.env.URL ?? '/embed/retry-storm/?clients=5000'));
const w = page.locator(process.env.SEL ?? 'figure[data-widget]').first();
await w.waitFor();
// Widgets with a transport run at the highest speed (or SPEED_INDEX); others (partition-toggles)
// are profiled as they animate by themselves.
const speed = w.locator('.transport select, select[aria-label*=peed]').first();
if (await speed.count()) {
  const options = await speed.locator('option').evaluateAll((os) => os.map((o) => o.value));
  await speed.selectOption(options[Number(process.env.SPEED_INDEX ?? options.length - 1)]);
}
const play = w.locator('[data-action=play]');
if ((await play.count()) && (await play.textContent()).includes('Play')) await play.click();
if (process.env.CLICK) await w.locator(process.env.CLICK).first().click();
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
if (process.env.HIDE) await page.evaluate((s) => document.querySelectorAll(s).forEach((e) => { e.style.display = 'none'; }), process.env.HIDE);
await page.waitForTimeout(1000);
if (process.env.TRACE) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  const categories = 'devtools.timeline,v8,blink,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.invalidationTracking';
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  await page.waitForTimeout(3000);
  await cdp.send('Tracing.end');
  await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const by = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
    by.set(e.name, (by.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(v.toFixed(0).padStart(7), k);
  const onMain = (e) => main && e.tid === main.tid && e.pid === main.pid;
  const q = (xs) => { const s = xs.sort((a, b) => a - b); return [0.5, 0.9, 0.95, 1].map((p) => s[Math.min(s.length - 1, Math.floor(s.length * p))]?.toFixed(1)).join(' / '); };
  for (const name of ['RunTask', 'FireAnimationFrame', 'Commit', 'WebFrameWidgetImpl::UpdateLifecycle']) {
    const d = events.filter((e) => e.name === name && e.ph === 'X' && onMain(e)).map((e) => e.dur / 1000);
    console.log(`${name}: ${d.length}, ms p50 / p90 / p95 / max ${q(d)}, over 12 ms ${d.filter((x) => x > 12).length}`);
  }
  // The slowest frames and what they spent: script (rAF callbacks and their microtasks), style,
  // layout and paint (lifecycle), and the commit to the compositor.
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && onMain(e));
  const begins = events.filter((e) => e.name === 'WebFrameWidgetImpl::BeginMainFrame' && e.ph === 'X' && onMain(e));
  const frames = tasks.filter((t) => begins.some((b) => b.ts >= t.ts && b.ts < t.ts + t.dur));
  const inside = (f, name) => events.filter((e) => e.name === name && e.ph === 'X' && onMain(e) && e.ts >= f.ts && e.ts < f.ts + f.dur).reduce((n, e) => n + e.dur / 1000, 0);
  const slow = frames.sort((a, b) => b.dur - a.dur).slice(0, 12);
  console.log('slowest frames (ms): total = script + lifecycle (layout) + commit');
  for (const f of slow) console.log(`  ${(f.dur / 1000).toFixed(1)} = ${inside(f, 'FireAnimationFrame').toFixed(1)} + ${inside(f, 'WebFrameWidgetImpl::UpdateLifecycle').toFixed(1)} (${inside(f, 'Layout').toFixed(1)}) + ${inside(f, 'Commit').toFixed(1)}`);
  const layouts = events.filter((e) => e.name === 'Layout' && e.ph === 'X' && onMain(e));
  const partial = layouts.filter((e) => e.args?.beginData?.partialLayout);
  const objects = layouts.reduce((n, e) => n + (e.args?.beginData?.dirtyObjects ?? 0), 0);
  console.log(`layouts ${layouts.length} (${partial.length} partial), ${objects} dirty objects in all`);
  const reasons = new Map();
  for (const e of events.filter((e) => e.name === 'LayoutInvalidationTracking')) {
    const k = `${e.args?.data?.reason ?? '?'} (${e.args?.data?.nodeName ?? '?'})`;
    reasons.set(k, (reasons.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(String(n).padStart(7), 'layout invalidated:', k);
}
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const deltas = await page.evaluate(() => new Promise((done) => {
  const out = []; let last = performance.now(); const end = last + 5000;
  function frame(now) { out.push(now - last); last = now; if (now < end) requestAnimationFrame(frame); else done(out); }
  requestAnimationFrame(frame);
}));
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-1)[0]}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('top self time (ms of', total.toFixed(0), ')');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(0).padStart(7), k);
const s = [...deltas].sort((a, b) => a - b);
console.log('frames', deltas.length, 'over 25 ms', (100 * deltas.filter((d) => d > 25).length / deltas.length).toFixed(1) + '%', 'p50', s[s.length >> 1].toFixed(1), 'p95', s[Math.floor(s.length * 0.95)].toFixed(1), 'max', s[s.length - 1].toFixed(1));
const simTime = w.locator('[data-k=time]').first();
if (await simTime.count()) console.log('sim time', await simTime.textContent());
await browser.close(); await server.close();
