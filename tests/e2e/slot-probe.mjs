import fs from 'node:fs';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';
const dist = '/work/main/target/devdist';
const srv = await serve(dist);
const b = await launch();
const slugs = fs.readdirSync(dist + '/articles');
const rem = 16;
const out = [];
for (const slug of slugs) {
  const p1 = await newPage(b, { width: 1280, height: 900 });
  await p1.route(/\.wasm$/, (r) => r.abort());
  await p1.goto(`${srv.url}/articles/${slug}/`);
  await p1.waitForTimeout(500);
  const reserved = await p1.evaluate(() => [...document.querySelectorAll('.widget-slot')].map((s) => s.getBoundingClientRect().height));
  await p1.context().close();
  const p2 = await newPage(b, { width: 1280, height: 900 });
  await p2.goto(`${srv.url}/articles/${slug}/`);
  await p2.waitForFunction(() => [...document.querySelectorAll('.widget-slot')].every((s) => s.querySelector('figure[data-widget]')));
  await p2.waitForTimeout(1500);
  const got = await p2.evaluate(() => [...document.querySelectorAll('.widget-slot')].map((s) => [s.querySelector('figure').dataset.widget, s.getBoundingClientRect().height]));
  await p2.context().close();
  got.forEach(([w, h], i) => out.push(`${slug.padEnd(14)} ${w.padEnd(18)} reserved ${(reserved[i] / rem).toFixed(1).padStart(6)} rem  mounted ${(h / rem).toFixed(1).padStart(6)} rem`));
}
console.log(out.join('\n'));
await b.close(); process.exit(0);
