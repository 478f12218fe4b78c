// Screenshots of every widget on a page, for humans: [DIST=dir] node widgets-shot.mjs <path> <prefix> [theme]
import path from 'node:path';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';
const [p = '/articles/reliability', prefix = '/tmp/w', theme = 'light'] = process.argv.slice(2);
const s = await serve(path.resolve(process.env.DIST || '../../dist'));
const b = await launch();
const page = await newPage(b, { width: 1280, height: 900 }, { colorScheme: theme });
await page.goto(s.url + p);
await page.waitForSelector('[data-widget]');
const n = await page.locator('[data-widget]').count();
for (let i = 0; i < n; i++) {
  const w = page.locator('[data-widget]').nth(i);
  await w.scrollIntoViewIfNeeded();
  if (process.env.OUTAGE && i === 1) await w.locator('[data-action=outage]').click();
  await page.waitForTimeout(Number(process.env.WAIT || 4000));
  await w.screenshot({ path: `${prefix}${i}.png` });
}
console.log(n, page.problems.join('\n') || 'no problems');
await b.close(); await s.close();
