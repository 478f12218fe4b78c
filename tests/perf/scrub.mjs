// Timed figures for `cargo xtask bench`: a timeline scrub in the browser (issue 27: a scrub to any
// point of a 10-simulated-minute run at the largest settings should show within 100 ms at 4× CPU
// throttle). Each simulation's embed opens on a share link at its heaviest settings (the queries
// of crates/model/benches/seek.rs) that plays 10 simulated minutes (or the run's cap, if shorter);
// then the timeline is moved back, ten times, to moments spread over the run (each after a move
// to the end), as a reader dragging it would. A scrub's time runs from the input event to the
// first frame after it (the seek, the published snapshot, the redraw and a paint). Headless
// Chromium, CPU throttled 4× through the DevTools protocol, dist/ served gzipped on 127.0.0.1.
// Prints a table and merges the figures into target/bench/summary.json; nothing is asserted.
import path from 'node:path';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';
import { ROOT, mergeSummary } from './summary.mjs';

const DIST = process.env.TRADEOFFS_DIST ?? path.join(ROOT, 'dist');
const SCRUBS = Number(process.env.SCRUBS || 10);
// ONLY=retry-storm,secrets measures those widgets alone.
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Widget, link (without `t=`) and what it is: the heaviest settings of benches/seek.rs. */
const RUNS = [
  ['retry-storm', 'clients=400&load=70&log=10000000.outage', 'retry storm, defaults, an outage'],
  ['retry-storm', 'clients=5000&load=120&attempts=8&ab=1&log=10000000.outage', 'retry storm, 5,000 clients at 120%, A/B'],
  ['timeout-pool', 'threads=400&latency=2000&log=10000000.slow', 'thread pool, 400 threads, a slow dependency'],
  ['rollout', 'preset=canary-1&ab=1', 'rollout, canary, A/B'],
  ['queue-semantics', '', 'queue semantics, defaults'],
  ['burn-rate', '', 'burn rate, a month'],
  ['conway', `log=${86_400_000_000}.ship,${20 * 86_400_000_000}.ship`, 'Conway, two features shipped'],
  ['secrets', 'log=5000000.leak,25000000.leak', 'secrets, two leaks'],
  ['partition-toggles', '', 'partition toggles, defaults'],
];

const server = await serve(DIST, { gzip: true });
const browser = await launch();

async function scrubRun(widget, query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const sep = query ? '&' : '';
  // t= (µs, like the log) past a run's cap is clamped to it: the run then ends at its cap.
  await page.goto(`${server.url}/embed/${widget}/?${query}${sep}t=600000000`);
  const scrub = page.locator(`figure[data-widget="${widget}"] [data-action=scrub]`);
  await scrub.waitFor({ timeout: 120000 });
  // Wait until the link's moment is reached: the timeline stops moving.
  const loadStart = Date.now();
  let end = -1;
  for (;;) {
    await page.waitForTimeout(500);
    const now = Number(await scrub.getAttribute('data-now'));
    if (now === end && now > 0) break;
    end = now;
    if (Date.now() - loadStart > 300000) break;
  }
  const times = await page.evaluate(async ([n, end]) => {
    const input = document.querySelector('[data-action=scrub]');
    const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const move = async (to) => {
      const t0 = performance.now();
      input.value = String(to);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      return performance.now() - t0;
    };
    const out = [];
    for (let i = 1; i <= n; i++) {
      await move(end);
      out.push(await move(Math.floor((end * (n + 1 - i)) / (n + 1))));
    }
    return out;
  }, [SCRUBS, end]);
  await context.close();
  if (errors.length) throw new Error(`${widget}?${query}: ${errors.join('; ')}`);
  return { end_s: end / 1e6, load_s: (Date.now() - loadStart) / 1000, times };
}

const summary = { scrub: { cpu_throttle: 4, scrubs: SCRUBS, runs: {} } };
console.log(`\nTimeline scrub back, ${SCRUBS} moments spread over the run, CPU 4× throttled (goal: shown within 100 ms)`);
console.log(`${'run'.padEnd(44)} ${'run s'.padStart(7)} ${'median ms'.padStart(10)} ${'slowest ms'.padStart(11)}`);
for (const [widget, query, what] of RUNS.filter(([w]) => !process.env.ONLY || process.env.ONLY.split(',').includes(w))) {
  const r = await scrubRun(widget, query);
  const m = median(r.times), worst = Math.max(...r.times);
  summary.scrub.runs[what] = { widget, query, run_s: r.end_s, median_ms: Math.round(m), slowest_ms: Math.round(worst), times_ms: r.times.map(Math.round) };
  console.log(`${what.padEnd(44)} ${r.end_s.toFixed(0).padStart(7)} ${String(Math.round(m)).padStart(10)} ${String(Math.round(worst)).padStart(11)}`);
}

await browser.close();
await server.close();
mergeSummary(summary);
