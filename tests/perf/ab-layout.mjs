// A/B main-thread work of a cold load (ad hoc, not part of `cargo xtask bench`): two builds served
// side by side and loaded alternately at 4× CPU throttle with a trace; prints the medians of the
// main thread's layout time (Layout + style recalc) and of its total task time during the first
// 3 s, and of the end of the last task over 50 ms (roughly when the page has settled).
// `RUNS=7 node tests/perf/ab-layout.mjs dist /tmp/dist-b /articles/reliability/`
import path from 'node:path';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const [a, b, ...urls] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node tests/perf/ab-layout.mjs DIST_A DIST_B [URL …]');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS || 7);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const servers = [await serve(path.resolve(a), { gzip: true }), await serve(path.resolve(b), { gzip: true })];
const browser = await launch();

async function load(server, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(server.url + url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => performance.getEntriesByName('tradeoffs:interactive').length > 0, null, { timeout: 30000 });
  await page.waitForTimeout(3000);
  await cdp.send('Tracing.end');
  await done;
  await context.close();
  const t0 = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const sum = (names) => onMain.filter((e) => names.includes(e.name)).reduce((s, e) => s + (e.dur || 0), 0) / 1000;
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const long = tasks.filter((e) => e.dur > 50_000);
  const settled = long.length ? (Math.max(...long.map((e) => e.ts + e.dur)) - t0) / 1000 : 0;
  return [sum(['Layout']), sum(['UpdateLayoutTree', 'RecalculateStyles']), sum(['RunTask']), settled];
}

for (const url of urls.length ? urls : ['/articles/reliability/']) {
  const got = [[], []];
  for (let i = 0; i < RUNS; i++) for (const k of [0, 1]) got[k].push(await load(servers[k], url));
  for (const k of [0, 1]) {
    const m = (i) => String(Math.round(median(got[k].map((x) => x[i])))).padStart(5);
    console.log(`${'AB'[k]} ${url.padEnd(26)} layout ${m(0)} ms  style ${m(1)} ms  tasks ${m(2)} ms  last long task ends ${m(3)} ms`);
  }
}
await browser.close();
for (const s of servers) s.close?.();
process.exit(0);
