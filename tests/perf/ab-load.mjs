// A/B cold loads (ad hoc, not part of `cargo xtask bench`): two builds of the site served side by
// side and loaded alternately (A, B, A, B, …) at 4× CPU throttle, so a noisy machine slows both
// alike. Prints the median time to `tradeoffs:interactive` and to first contentful paint.
// `RUNS=9 node tests/perf/ab-load.mjs dist /tmp/dist-b /articles/reliability/ /articles/scaling/`
import path from 'node:path';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const [a, b, ...urls] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node tests/perf/ab-load.mjs DIST_A DIST_B [URL …]');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS || 9);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const servers = [await serve(path.resolve(a), { gzip: true }), await serve(path.resolve(b), { gzip: true })];
const browser = await launch();

async function load(server, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(server.url + url, { waitUntil: 'domcontentloaded' });
  const t = await page.waitForFunction(() => {
    const m = performance.getEntriesByName('tradeoffs:interactive')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return m && fcp ? [m.startTime, fcp.startTime] : null;
  }, null, { timeout: 30000, polling: 20 });
  const v = await t.jsonValue();
  await context.close();
  return v;
}

for (const url of urls.length ? urls : ['/articles/reliability/']) {
  const got = [[], []];
  for (let i = 0; i < RUNS; i++) for (const k of [0, 1]) got[k].push(await load(servers[k], url));
  for (const k of [0, 1]) {
    const tti = got[k].map((x) => Math.round(x[0]));
    const fcp = got[k].map((x) => Math.round(x[1]));
    console.log(`${'AB'[k]} ${url.padEnd(26)} interactive ${String(median(tti)).padStart(5)} ms  fcp ${String(median(fcp)).padStart(5)} ms  (${tti.join(', ')})`);
  }
}
await browser.close();
for (const s of servers) s.close?.();
process.exit(0);
