import path from 'node:path';
import { serve } from '/work/main/tests/e2e/server.mjs';
import { launch, newPage } from '/work/main/tests/e2e/browser.mjs';
const [slug, n, w, h] = process.argv.slice(2);
const s = await serve(path.resolve(process.env.DIST));
const b = await launch();
const page = await newPage(b, { width: Number(w), height: Number(h) }, { colorScheme: 'light' });
await page.goto(`${s.url}/talk/${slug}/?slide=${n}`);
await page.waitForSelector('.slide.is-current figure[data-widget]', { timeout: 30000 }).catch(() => {});
await page.waitForTimeout(3000);
console.log(await page.evaluate(() => {
  const s = document.querySelector('.deck > .slide.is-current');
  const hw = s.querySelector('.slide-widget'); const p = hw.parentElement;
  const r = hw.getBoundingClientRect();
  return JSON.stringify({ slide: [s.scrollHeight, s.clientHeight], zoom: hw.style.zoom, fit: hw.getAttribute('data-fit'), rect: [r.width, r.height, r.top], parent: [p.className, p.clientWidth, p.clientHeight, p.getBoundingClientRect().top], kids: [...s.children].map(c => c.className + ':' + Math.round(c.getBoundingClientRect().height)) });
}));
console.log(await page.evaluate(async () => {
  const hw = document.querySelector('.deck > .slide.is-current .slide-widget');
  const out = [];
  for (const z of ['1','0.9','0.8','0.7','0.6']) { hw.style.zoom = z; await new Promise(r => requestAnimationFrame(r)); const r = hw.getBoundingClientRect(); out.push(z + ':' + Math.round(r.width) + 'x' + Math.round(r.height)); }
  return out.join(' ');
}));
await b.close(); await s.close();
