// Lighthouse (performance category, its default mobile preset: emulated phone, simulated slow 4G
// and 4× CPU) on the home page and every article page of dist/, served gzipped on 127.0.0.1,
// in Debian's Chromium (headless). Each page is audited RUNS times, each time in a fresh browser;
// prints the median score, CLS and the metrics per page beside the goals (score ≥ 95, CLS = 0),
// then the failing audits of the lowest-scoring page (its median run), and merges the figures
// into target/bench/summary.json under `lighthouse`. The median run's reports (JSON and HTML) go
// to target/bench/lighthouse/. Figures are printed, never asserted.
//
//   node tests/perf/lighthouse.mjs          env: RUNS (3), TRADEOFFS_DIST (dist/), CHROMIUM
// Needs `npm ci` in tests/perf (lighthouse 12.x: 13.x needs Node ≥ 22.19).
import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { serve } from '../e2e/server.mjs';
import { ROOT, mergeSummary, median } from './summary.mjs';

const DIST = path.resolve(process.env.TRADEOFFS_DIST ?? path.join(ROOT, 'dist'));
const RUNS = Math.max(1, Number(process.env.RUNS || 3));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags of tests/e2e/browser.mjs (root in a sandbox, no network beyond 127.0.0.1).
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
const GOAL_SCORE = 95;
const OUT = path.join(ROOT, 'target/bench/lighthouse');
const METRICS = [
  ['first-contentful-paint', 'FCP'], ['largest-contentful-paint', 'LCP'], ['total-blocking-time', 'TBT'],
  ['speed-index', 'SI'], ['interactive', 'TTI'],
];

/** dist/ is complete: xtask dist removes it, builds the bundles, then writes pages and embed.js last. */
function distVersion() {
  const marker = path.join(DIST, 'embed.js');
  if (!fs.existsSync(marker) || !fs.existsSync(path.join(DIST, 'index.html'))) return null;
  const age = Date.now() - fs.statSync(marker).mtimeMs;
  return age > 5000 ? fs.statSync(marker).mtimeMs : null;
}
async function waitForDist() {
  for (let waited = 0; ; waited += 15) {
    const v = distVersion();
    if (v) return v;
    if (waited >= 1800) throw new Error(`${DIST} is missing or incomplete (waited 30 min); build it with cargo xtask dist`);
    if (waited === 0) console.log(`waiting for ${path.relative(ROOT, DIST)}/ to be (re)built…`);
    await new Promise((r) => setTimeout(r, 15000));
  }
}

async function audit(url) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    const r = await lighthouse(url, { port: chrome.port, output: ['json', 'html'], logLevel: 'error', onlyCategories: ['performance'] });
    return { lhr: r.lhr, html: r.report[1] };
  } finally {
    chrome.kill();
  }
}

const summary = { when: new Date().toISOString(), lighthouse_version: null, preset: 'mobile (Lighthouse default)', runs: RUNS, goals: { score: GOAL_SCORE, cls: 0 }, pages: {} };
let version = await waitForDist();
const pages = ['/', ...fs.readdirSync(path.join(DIST, 'articles')).sort().map((s) => `/articles/${s}/`)];
const server = await serve(DIST, { gzip: true });
fs.mkdirSync(OUT, { recursive: true });
const medianRuns = {};
console.log(`\nLighthouse, performance, mobile preset, dist/ served gzipped; median of ${RUNS} run(s) per page`);
console.log(`${'page'.padEnd(26)} score    CLS    FCP    LCP     TBT     SI    TTI   runs (score)`);
for (const p of pages) {
  let runs;
  for (;;) {
    runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await audit(server.url + p));
    const now = await waitForDist();
    if (now === version) break;
    console.log(`dist/ was rebuilt while ${p} was audited; auditing it again`);
    version = now;
  }
  const bad = runs.flatMap((r) => r.lhr.runtimeError ? [r.lhr.runtimeError.message] : r.lhr.runWarnings);
  const score = (r) => Math.round((r.lhr.categories.performance.score ?? 0) * 100);
  const scores = runs.map(score);
  const mid = runs.find((r) => score(r) === median(scores)) ?? runs[0];
  medianRuns[p] = mid.lhr;
  const cls = median(runs.map((r) => r.lhr.audits['cumulative-layout-shift'].numericValue));
  const metric = (id) => median(runs.map((r) => r.lhr.audits[id]?.numericValue ?? NaN));
  summary.lighthouse_version = mid.lhr.lighthouseVersion;
  summary.pages[p] = {
    score: median(scores), cls: +cls.toFixed(4), runs_score: scores,
    runs_cls: runs.map((r) => +r.lhr.audits['cumulative-layout-shift'].numericValue.toFixed(4)),
    ...Object.fromEntries(METRICS.map(([id, k]) => [`${k.toLowerCase()}_ms`, Math.round(metric(id))])),
    benchmark_index: Math.round(median(runs.map((r) => r.lhr.environment.benchmarkIndex))),
    warnings: [...new Set(bad)],
  };
  const name = p === '/' ? 'home' : p.split('/').filter(Boolean).join('-');
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(mid.lhr));
  fs.writeFileSync(path.join(OUT, `${name}.html`), mid.html);
  const s = summary.pages[p];
  const ms = (v) => `${(v / 1000).toFixed(2)}s`.padStart(6);
  console.log(`${p.padEnd(26)} ${String(s.score).padStart(5)} ${s.cls.toFixed(3).padStart(6)} ${ms(s.fcp_ms)} ${ms(s.lcp_ms)} ${`${s.tbt_ms}ms`.padStart(7)} ${ms(s.si_ms)} ${ms(s.tti_ms)}   ${scores.join(', ')}`);
  for (const w of s.warnings) console.log(`    warning: ${w}`);
}
await server.close();

const all = Object.values(summary.pages);
const minScore = Math.min(...all.map((s) => s.score));
const maxCls = Math.max(...all.map((s) => s.cls));
console.log(`goals: score ≥ ${GOAL_SCORE} ${minScore >= GOAL_SCORE ? 'met' : 'NOT MET'} (lowest ${minScore}); CLS = 0 ${maxCls === 0 ? 'met' : 'NOT MET'} (highest ${maxCls.toFixed(3)})`);

// What Lighthouse says about the lowest-scoring page (its median run).
const [worst] = Object.entries(summary.pages).sort((a, b) => a[1].score - b[1].score || b[1].cls - a[1].cls)[0];
const lhr = medianRuns[worst];
const host = new URL(server.url).host;
const short = (u) => String(u).replace(`http://${host}`, '');
function itemLine(it) {
  const what = it.url ? short(it.url) : it.node ? `${it.node.selector || it.node.nodeLabel} ${it.node.snippet || ''}` : it.groupLabel || it.reason || it.label || '';
  const nums = ['wastedMs', 'wastedBytes', 'totalBytes', 'total', 'scripting', 'duration', 'score']
    .filter((k) => typeof it[k] === 'number').map((k) => `${k} ${k === 'score' ? it[k].toFixed(3) : Math.round(it[k])}`);
  return `${what.trim().slice(0, 110)}${nums.length ? ` (${nums.join(', ')})` : ''}`;
}
const findings = [];
for (const ref of lhr.categories.performance.auditRefs) {
  const a = lhr.audits[ref.id];
  if (ref.group === 'metrics' || ref.group === 'hidden' || a.score === null || a.score >= 0.9) continue;
  if (a.scoreDisplayMode === 'informative' || a.scoreDisplayMode === 'notApplicable') continue;
  const items = (a.details?.items ?? []).filter((it) => it && typeof it === 'object' && !it.type).slice(0, 4).map(itemLine);
  findings.push({ id: ref.id, title: a.title, display: a.displayValue ?? '', savings: a.metricSavings ?? {}, items });
}
console.log(`\nLowest-scoring page ${worst} (score ${summary.pages[worst].score}, CLS ${summary.pages[worst].cls}): failing audits of its median run`);
for (const f of findings) {
  const sav = Object.entries(f.savings).filter(([, v]) => v).map(([k, v]) => `${k} −${k === 'CLS' ? v.toFixed(3) : `${Math.round(v)} ms`}`).join(', ');
  console.log(`- ${f.title}${f.display ? `: ${f.display}` : ''}${sav ? ` [${sav}]` : ''}`);
  for (const it of f.items) console.log(`    ${it}`);
}
summary.lowest = { page: worst, findings };
summary.reports = path.relative(ROOT, OUT);
mergeSummary({ lighthouse: summary });
