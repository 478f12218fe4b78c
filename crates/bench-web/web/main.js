// The bench page: loads the wasm built from crates/bench-web and exposes `window.bench.run(reps)`
// for tests/perf/events.mjs (one untimed warm-up call, then `reps` runs timed by one call, as
// the native `bench-native` does). The Run button does the same by hand.
import init, { retry_storm_workload } from './bench_web.js';

await init();

function run(reps) {
  retry_storm_workload(1);
  const t0 = performance.now();
  const [events, checksum] = retry_storm_workload(reps);
  const seconds = (performance.now() - t0) / 1000;
  if (events === 0n) throw new Error('two runs of the same seed disagree');
  return { events: Number(events), checksum: '0x' + checksum.toString(16), seconds, reps };
}

window.bench = { run };
const out = document.getElementById('out');
const button = document.getElementById('run');
button.addEventListener('click', () => {
  const r = run(Math.max(1, Number(document.getElementById('reps').value) || 1));
  out.textContent = `${r.events} events per run, checksum ${r.checksum}\n` +
    `${((r.events * r.reps) / r.seconds / 1e6).toFixed(2)} M events/s (${r.reps} runs in ${r.seconds.toFixed(3)} s)`;
});
button.disabled = false;
out.textContent = 'ready';
document.body.dataset.ready = '1';
