// Merges one part's figures into target/bench/summary.json (the file `cargo xtask bench` leaves),
// keeping the other parts' keys.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SUMMARY = path.join(ROOT, 'target/bench/summary.json');

export function mergeSummary(part) {
  fs.mkdirSync(path.dirname(SUMMARY), { recursive: true });
  let prev = {};
  try { prev = JSON.parse(fs.readFileSync(SUMMARY, 'utf8')); } catch { /* first part written */ }
  fs.writeFileSync(SUMMARY, JSON.stringify({ ...prev, ...part }, null, 2));
  console.log(`\nwrote ${path.relative(ROOT, SUMMARY)}`);
}

/** The median (mean of the two middle values for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
