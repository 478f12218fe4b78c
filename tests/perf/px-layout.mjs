// Layouts of a running widget (ad hoc, not part of `cargo xtask bench`): opens an embed page (the
// retry storm at 5,000 clients by default), plays it at top speed at 4× CPU throttle and traces
// 3 s: prints the number of layouts, their total time, the first few with their dirty and total
// object counts, and what invalidated layout. `CSS='…'` injects a style sheet first, to try a
// change without a build. `node tests/perf/px-layout.mjs [/embed/<widget>/?…]`
import path from 'node:path';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';
const DIST = process.env.TRADEOFFS_DIST ?? 'dist';
const server = await serve(path.resolve(DIST), { gzip: true });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.goto(server.url + (process.argv[2] ?? '/embed/retry-storm/?clients=5000'));
const w = page.locator('figure[data-widget]').first();
await w.waitFor();
const speed = w.locator('select').first();
const options = await speed.locator('option').evaluateAll((os) => os.map((o) => o.value));
await speed.selectOption(options[options.length - 1]);
const play = w.locator('[data-action=play]');
if ((await play.textContent()).includes('Play')) await play.click();
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
await page.waitForTimeout(1000);
const events = [];
cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.invalidationTracking', transferMode: 'ReportEvents' });
await page.waitForTimeout(3000);
await cdp.send('Tracing.end');
await done;
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const lay = events.filter((e) => e.name === 'Layout' && e.tid === main.tid && e.pid === main.pid && e.ph === 'X');
console.log('layouts', lay.length, 'total', (lay.reduce((s, e) => s + e.dur, 0) / 1000).toFixed(0), 'ms');
for (const e of lay.slice(0, 8)) console.log((e.dur / 1000).toFixed(1), JSON.stringify(e.args?.beginData), JSON.stringify(e.args?.endData?.layoutRoots?.length ?? e.args?.endData));
const inv = events.filter((e) => e.name === 'LayoutInvalidationTracking' || e.name === 'ScheduleStyleInvalidationTracking');
const reasons = new Map();
for (const e of inv) { const k = (e.args?.data?.reason ?? '') + ' ' + (e.args?.data?.nodeName ?? '') + ' ' + e.name; reasons.set(k, (reasons.get(k) ?? 0) + 1); }
console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 15));
await browser.close(); await server.close();
process.exit(0);
