// The event core's speed in the browser against native, for `cargo xtask bench`.
//
// Builds crates/bench-web twice — natively (`bench-native`) and for wasm32 (wasm-bindgen --target
// web, then binaryen's wasm-opt at the level the site's bundles get, into target/bench/web/ with a
// static page) — and runs the same retry-storm workload (seed 42; crates/model/benches/events.rs)
// as interleaved pairs: native, wasm, native, wasm … Every run is one untimed warm-up call, then
// REPS workloads timed as one call. Headless Chromium, no CPU throttling (the figure is a ratio).
// Prints native and wasm events/s (medians) and the wasm/native ratio (median of per-pair ratios)
// beside the goals, and merges them into target/bench/summary.json under `events`. Timings are
// printed, never asserted; a checksum or event-count mismatch between any two runs is an error.
//
//   node tests/perf/events.mjs [--no-build]     env: PAIRS (11), REPS (20), WASM_OPT (z; 0 = none)
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';
import { ROOT, mergeSummary, median } from './summary.mjs';

const PAIRS = Math.max(1, Number(process.env.PAIRS || 11));
const REPS = Math.max(1, Number(process.env.REPS || 20));
const WASM_OPT = process.env.WASM_OPT ?? 'z'; // the site's bundles: data-wasm-opt="z" in index.html
const GOAL_NATIVE = 5e6;
const GOAL_RATIO = 0.75;
const WEB = path.join(ROOT, 'target/bench/web');
const NATIVE = path.join(ROOT, 'target/release/bench-native');
const WASM = path.join(ROOT, 'target/wasm32-unknown-unknown/release/bench_web.wasm');
const BINARYEN = path.join(ROOT, 'tests/e2e/node_modules/.bin/wasm-opt');

const sh = (cmd, args) => {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
};

let wasmOpt = 'none';
if (!process.argv.includes('--no-build')) {
  sh('cargo', ['build', '--release', '-p', 'bench-web', '--bin', 'bench-native']);
  sh('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'bench-web', '--lib']);
  fs.rmSync(WEB, { recursive: true, force: true });
  sh('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', WEB, WASM]);
  if (WASM_OPT !== '0' && WASM_OPT !== 'none') {
    // binaryen 132 from tests/e2e (never Debian's 108, which corrupts wasm), as Trunk runs it.
    if (!fs.existsSync(BINARYEN)) throw new Error(`${BINARYEN} missing: run npm ci in tests/e2e`);
    const bg = path.join(WEB, 'bench_web_bg.wasm');
    sh(BINARYEN, [`-O${WASM_OPT}`, bg, '-o', bg]);
    wasmOpt = `-O${WASM_OPT}`;
  }
  for (const f of ['index.html', 'main.js']) fs.copyFileSync(path.join(ROOT, 'crates/bench-web/web', f), path.join(WEB, f));
  fs.writeFileSync(path.join(WEB, 'wasm-opt.txt'), wasmOpt);
} else if (fs.existsSync(path.join(WEB, 'wasm-opt.txt'))) {
  wasmOpt = fs.readFileSync(path.join(WEB, 'wasm-opt.txt'), 'utf8').trim();
}

const server = await serve(WEB);
const browser = await launch();
const page = await browser.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(e.message));
page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
await page.goto(server.url + '/');
try {
  await page.waitForSelector('body[data-ready]', { timeout: 30000 });
} catch (e) {
  throw new Error(`bench page did not load: ${problems.join('; ') || e.message}`);
}

const native = () => JSON.parse(execFileSync(NATIVE, [String(REPS)], { encoding: 'utf8' }));
const wasm = () => page.evaluate((reps) => window.bench.run(reps), REPS);
const rate = (r) => (r.events * r.reps) / r.seconds;

const pairs = [];
console.log(`\nEvent core, retry-storm workload: ${PAIRS} interleaved pairs after one warm-up pair, ${REPS} runs each (wasm-opt ${wasmOpt}, no CPU throttling)`);
console.log('pair   native M ev/s   wasm M ev/s   wasm/native');
for (let i = 0; i <= PAIRS; i++) {
  const n = native();
  const w = await wasm();
  const label = i === 0 ? 'warm' : String(i);
  console.log(`${label.padStart(4)}   ${(rate(n) / 1e6).toFixed(2).padStart(13)}   ${(rate(w) / 1e6).toFixed(2).padStart(11)}   ${(rate(w) / rate(n)).toFixed(3).padStart(11)}`);
  pairs.push({ native: n, wasm: w, ratio: rate(w) / rate(n) });
}
const warm = pairs.shift(); // checked for agreement below, not timed
await browser.close();
await server.close();

const runs = [warm, ...pairs].flatMap((p) => [p.native, p.wasm]);
const mismatch = runs.filter((r) => r.events !== runs[0].events || r.checksum !== runs[0].checksum);
const nativeEps = median(pairs.map((p) => rate(p.native)));
const wasmEps = median(pairs.map((p) => rate(p.wasm)));
const ratio = median(pairs.map((p) => p.ratio));
const mark = (ok) => (ok ? 'met' : 'NOT MET');
console.log(`\n${runs[0].events} events per run, checksum native ${pairs[0].native.checksum}, wasm ${pairs[0].wasm.checksum}${mismatch.length ? ' — MISMATCH' : ' (all runs agree)'}`);
console.log(`native  ${(nativeEps / 1e6).toFixed(2).padStart(6)} M events/s (median)          goal ≥ 5 M      ${mark(nativeEps >= GOAL_NATIVE)}`);
console.log(`wasm    ${(wasmEps / 1e6).toFixed(2).padStart(6)} M events/s (median)`);
console.log(`best    ${(Math.max(...pairs.map((p) => rate(p.native))) / 1e6).toFixed(2)} native, ${(Math.max(...pairs.map((p) => rate(p.wasm))) / 1e6).toFixed(2)} wasm (M events/s; the least disturbed runs)`);
console.log(`ratio   ${ratio.toFixed(3).padStart(6)} wasm/native (median of pairs)   goal ≥ 0.75     ${mark(ratio >= GOAL_RATIO)}`);

mergeSummary({
  events: {
    when: new Date().toISOString(),
    workload: 'retry storm: RetryParams { clients: 5000, ..NAIVE }, seed 42, 2 s outage at 5 s, 20 s',
    events_per_run: runs[0].events,
    checksum_native: pairs[0].native.checksum,
    checksum_wasm: pairs[0].wasm.checksum,
    checksums_match: mismatch.length === 0,
    pairs: PAIRS,
    reps_per_run: REPS,
    wasm_opt: wasmOpt,
    native_events_per_s: Math.round(nativeEps),
    wasm_events_per_s: Math.round(wasmEps),
    best_native_events_per_s: Math.round(Math.max(...pairs.map((p) => rate(p.native)))),
    best_wasm_events_per_s: Math.round(Math.max(...pairs.map((p) => rate(p.wasm)))),
    ratio: +ratio.toFixed(3),
    goals: { native_events_per_s: GOAL_NATIVE, ratio: GOAL_RATIO },
    runs: pairs.map((p) => ({ native_events_per_s: Math.round(rate(p.native)), wasm_events_per_s: Math.round(rate(p.wasm)), ratio: +p.ratio.toFixed(3) })),
  },
});
if (mismatch.length) {
  console.error(`error: ${mismatch.length} run(s) disagree with the first on events or checksum: the workload is not the same natively and in wasm`);
  process.exit(1);
}
