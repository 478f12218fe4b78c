// Where a cold load's time goes (ad hoc, not part of `cargo xtask bench`): one throttled cold load
// of a page with a main-thread trace. Prints the navigation and resource timings, the
// `tradeoffs:interactive` mark and the main thread's busiest trace events before it.
// `node tests/perf/load-breakdown.mjs /articles/reliability/`
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = process.env.TRADEOFFS_DIST ?? path.join(ROOT, 'dist');
const url = process.argv[2] ?? '/articles/reliability/';
const server = await serve(DIST, { gzip: true });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.THROTTLE ?? 4) });
const events = [];
cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,v8.wasm,blink,loading,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.goto(server.url + url, { waitUntil: 'domcontentloaded' });
await page.waitForFunction(() => performance.getEntriesByName('tradeoffs:interactive').length > 0, null, { timeout: 30000 });
await page.waitForTimeout(300);
const timing = await page.evaluate(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').map((r) => [r.name.split('/').slice(-2).join('/'), Math.round(r.startTime), Math.round(r.responseEnd)]);
  return { responseEnd: Math.round(nav.responseEnd), dcl: Math.round(nav.domContentLoadedEventEnd), interactive: Math.round(performance.getEntriesByName('tradeoffs:interactive')[0].startTime), fcp: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1), res };
});
await cdp.send('Tracing.end');
await done;
console.log(`${url}: HTML ${timing.responseEnd} ms, first paint ${timing.fcp} ms, DOMContentLoaded ${timing.dcl} ms, interactive ${timing.interactive} ms`);
for (const [name, start, end] of timing.res) console.log(`  ${name.padEnd(32)} ${String(start).padStart(5)} → ${String(end).padStart(5)} ms`);
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const nav0 = events.find((e) => e.name === 'navigationStart' && e.pid === main.pid)?.ts ?? Math.min(...events.filter((e) => e.ts).map((e) => e.ts));
const tInteractive = nav0 + timing.interactive * 1000;
const top = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.ts < tInteractive && e.dur > 2000)
  .map((e) => ({ name: e.name, at: (e.ts - nav0) / 1000, dur: e.dur / 1000, detail: (e.args?.data?.url ?? e.args?.fileName ?? e.args?.data?.functionName ?? '').split('/').slice(-2).join('/') }));
console.log('main-thread events over 2 ms before interactive (start, duration):');
for (const e of top) console.log(`  ${e.at.toFixed(0).padStart(5)} ms ${e.dur.toFixed(1).padStart(7)} ms  ${e.name} ${e.detail}`);
await browser.close();
await server.close?.();
process.exit(0);
