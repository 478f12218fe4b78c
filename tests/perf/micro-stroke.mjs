// Why charts stroke wide polylines as hairlines (src/widgets/canvas.rs, `pen`): frame times while
// two chart-sized canvases are redrawn 4 times a second in headless Chromium at 4× CPU throttle,
// with three 600-point series stroked 2 px wide, 1 px wide, and as a 2-px plus-shaped pen of
// hairlines. `node tests/perf/micro-stroke.mjs`
import { launch } from '../e2e/browser.mjs';

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.setContent('<canvas id=a width=1240 height=220></canvas><canvas id=b width=1240 height=150></canvas>');
for (const variant of ['none', 'width 2', 'width 1', 'pen of hairlines']) {
  const frames = await page.evaluate((variant) => new Promise((done) => {
    const canvases = [document.getElementById('a'), document.getElementById('b')];
    let k = 0;
    function draw(c) {
      const x = c.getContext('2d');
      x.fillStyle = '#fff';
      x.fillRect(0, 0, c.width, c.height);
      if (variant === 'none') return;
      const pen = variant === 'pen of hairlines' ? [[0, 0], [1, 0], [0, 1]] : [[0, 0]];
      x.lineWidth = variant === 'width 2' ? 2 : 1;
      for (let s = 0; s < 3; s++) {
        x.strokeStyle = ['#06c', '#c30', '#090'][s];
        x.beginPath();
        const ys = Array.from({ length: 600 }, (_, i) => 30 + (c.height - 80) * (0.5 + 0.45 * Math.sin(i * 0.3 + s + k) * Math.random()));
        for (const [dx, dy] of pen) ys.forEach((y, i) => (i ? x.lineTo : x.moveTo).call(x, 52 + i * 1.97 + dx, y + dy));
        x.stroke();
      }
    }
    const out = [];
    let last = performance.now(), lastDraw = 0;
    const end = last + 4000;
    function frame(now) {
      out.push(now - last);
      last = now;
      if (now - lastDraw > 250) { lastDraw = now; k++; canvases.forEach(draw); }
      if (now < end) requestAnimationFrame(frame); else done(out);
    }
    requestAnimationFrame(frame);
  }), variant);
  const s = [...frames].sort((a, b) => a - b);
  const over = (100 * frames.filter((d) => d > 25).length) / frames.length;
  console.log(`${variant.padEnd(17)} frames ${frames.length}  p50 ${s[s.length >> 1].toFixed(1)} ms  p95 ${s[Math.floor(s.length * 0.95)].toFixed(1)} ms  over 25 ms ${over.toFixed(1)} %`);
}
await browser.close();
