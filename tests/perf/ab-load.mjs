// A/B cold loads (ad hoc, not part of `cargo xtask bench`): two builds of the site served side by
// side and loaded alternately (A, B, A, B, …) at 4× CPU throttle, so a noisy machine slows both
// alike. Prints the median time to `tradeoffs:interactive` and to first contentful paint. With
// `TRACE=1` each load is traced for 3 s after it is interactive, and the medians of the main
// thread's layout time, style time, task time and the end of its last task over 50 ms (roughly when
// the page has settled) are printed too.
// `RUNS=9 node tests/perf/ab-load.mjs dist /tmp/dist-b /articles/reliability/ /articles/scaling/`
import path from 'node:path';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const [a, b, ...urls] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: [TRACE=1] node tests/perf/ab-load.mjs DIST_A DIST_B [URL …]');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS || 9);
const TRACE = Boolean(process.env.TRACE);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const servers = [await serve(path.resolve(a), { gzip: true }), await serve(path.resolve(b), { gzip: true })];
const browser = await launch();

/** Main-thread figures of a trace: layout, style and task time, and when the last long task ended. */
function mainThread(events) {
  const t0 = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const sum = (names) => onMain.filter((e) => names.includes(e.name)).reduce((s, e) => s + (e.dur || 0), 0) / 1000;
  const long = onMain.filter((e) => e.name === 'RunTask' && e.dur > 50_000);
  const settled = long.length ? (Math.max(...long.map((e) => e.ts + e.dur)) - t0) / 1000 : 0;
  return [sum(['Layout']), sum(['UpdateLayoutTree', 'RecalculateStyles']), sum(['RunTask']), settled];
}

async function load(server, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  if (TRACE) await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(server.url + url, { waitUntil: 'domcontentloaded' });
  const t = await page.waitForFunction(() => {
    const m = performance.getEntriesByName('tradeoffs:interactive')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return m && fcp ? [m.startTime, fcp.startTime] : null;
  }, null, { timeout: 30000, polling: 20 });
  const v = await t.jsonValue();
  if (TRACE) {
    await page.waitForTimeout(3000);
    await cdp.send('Tracing.end');
    await done;
    v.push(...mainThread(events));
  }
  await context.close();
  return v;
}

for (const url of urls.length ? urls : ['/articles/reliability/']) {
  const got = [[], []];
  for (let i = 0; i < RUNS; i++) for (const k of [0, 1]) got[k].push(await load(servers[k], url));
  for (const k of [0, 1]) {
    const m = (i) => String(Math.round(median(got[k].map((x) => x[i])))).padStart(5);
    const tti = got[k].map((x) => Math.round(x[0]));
    const traced = TRACE ? `  layout ${m(2)} ms  style ${m(3)} ms  tasks ${m(4)} ms  last long task ends ${m(5)} ms` : '';
    console.log(`${'AB'[k]} ${url.padEnd(26)} interactive ${m(0)} ms  fcp ${m(1)} ms${traced}  (${tti.join(', ')})`);
  }
}
await browser.close();
for (const s of servers) s.close?.();
process.exit(0);
