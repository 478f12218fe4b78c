// A screenshot of one talk slide, for humans: DIST=dir [WAIT=ms] node talk-shot.mjs <slug> <slide> <width> <height> <out.png> [theme]
import path from 'node:path';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';
const [slug, n, w, h, out, theme = 'light'] = process.argv.slice(2);
const s = await serve(path.resolve(process.env.DIST));
const b = await launch();
const page = await newPage(b, { width: Number(w), height: Number(h) }, { colorScheme: theme });
await page.goto(`${s.url}/talk/${slug}/?slide=${n}`);
await page.waitForSelector('.slide.is-current figure[data-widget]', { timeout: 30000 }).catch(() => {});
await page.waitForTimeout(Number(process.env.WAIT || 3000));
await page.screenshot({ path: out });
console.log(page.problems.join('\n') || 'no problems');
await b.close(); await s.close();
