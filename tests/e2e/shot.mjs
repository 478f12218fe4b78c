// Screenshot helper for humans: node shot.mjs <path> <out.png> [width] [height] [theme]
import path from 'node:path';
import { serve } from './server.mjs';
import { launch, newPage } from './browser.mjs';
const [p = '/', out = 'shot.png', w = '1280', h = '900', theme = 'light'] = process.argv.slice(2);
const s = await serve(path.resolve('../../dist'));
const b = await launch();
const page = await newPage(b, { width: +w, height: +h }, { colorScheme: theme });
await page.goto(s.url + p);
await page.waitForTimeout(Number(process.env.WAIT || 3000));
await page.screenshot({ path: out, fullPage: !!process.env.FULL });
console.log(page.problems.join('\n') || 'no problems');
await b.close(); await s.close();
