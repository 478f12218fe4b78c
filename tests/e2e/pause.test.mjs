// Pause when unseen: a widget with a simulated clock (the animated ones with a Play/Pause
// transport, started at their fastest speed, and those that run in real time without one, like
// the partition toggles) stops simulating while it is scrolled out of view or the tab is hidden,
// and resumes exactly where it stopped: not reset, and not catching up on the time it was away.
//
// Every value the clock shows is recorded by a MutationObserver in the page, so "did not advance"
// means no change at all, not just two equal samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useSite, articleSlugs, clean, noPanic, openArticle, widgetsOnPage, widgetAt, clockTime, waitSimPast,
  setPlaying, maxSpeed, scrollIntoView, scrollOffScreen, setTabHidden, recordTimeline, timeline,
} from './helpers.mjs';

const SLUGS = articleSlugs();
/** How long a widget stays unseen, in wall-clock ms. */
const AWAY_MS = 1500;
/** Settling time after it becomes unseen: the observer's callback is a task, like any other. */
const SETTLE_MS = 300;

const site = useSite();

/**
 * Checks the readout history after the widget came back at `backAt` (performance.now()), having
 * shown `frozen` while away: the next value continues from `frozen` (no reset, no jump), and the
 * time only moves forward from there.
 */
function assertResumed(log, backAt, frozen, maxJump, what) {
  const after = log.filter((e) => e.at >= backAt);
  assert.ok(after.length >= 2, `${what}: the simulation runs again once seen (values after: ${JSON.stringify(after)})`);
  assert.ok(after[0].v > frozen, `${what}: resumes from ${frozen} s, not reset (next value ${after[0].v} s)`);
  assert.ok(after[0].v - frozen <= maxJump,
    `${what}: resumes where it was: next value ${after[0].v} s after ${frozen} s (at most ${maxJump} s, one frame)`);
  for (let i = 1; i < after.length; i++) {
    assert.ok(after[i].v >= after[i - 1].v, `${what}: time never goes back (${after[i - 1].v} → ${after[i].v})`);
  }
  console.log(`  ${what}: stood at ${frozen} s while unseen, then ${after.slice(0, 4).map((e) => e.v).join(', ')} s…`);
}

/**
 * The largest step the clock may show on resuming: one frame (the frame loop counts at most
 * 250 ms for a frame) at `speed`, plus a statistics window; a widget without a transport runs in
 * real time and shows its clock every 15 frames.
 */
function firstStep(speedLabel) {
  return speedLabel ? parseFloat(speedLabel) * 0.25 + 0.2 : 15 * 0.25 + 0.2;
}

/** Waits until the widget's clock has moved on by a second: every clocked widget must get there. */
async function running(page, w, animated, what) {
  const t0 = await clockTime(w);
  await waitSimPast(page, w, t0 + 1, animated ? 20000 : 4000);
  return true;
}

/** Waits until the clock has shown two new values since `backAt` (readouts refresh 10 times a second). */
async function twoValuesSince(page, key, backAt) {
  await page.waitForFunction(([key, backAt]) => window.__timeline[key].filter((e) => e.at >= backAt).length >= 2, [key, backAt], { timeout: 10000, polling: 50 });
}

async function clockedWidgets(page, slug) {
  await openArticle(page, site.url, slug);
  return (await widgetsOnPage(page)).filter((w) => w.clock);
}

/** Starts the widget (fastest speed, playing) if it has a transport; returns the speed label. */
async function start(w) {
  if (!(await w.locator('[data-action=play]').count())) return null;
  const speed = await maxSpeed(w); // the fastest speed makes any leak of simulated time obvious
  await setPlaying(w, true);
  return speed;
}

test('scrolled out of view, a simulation stops; scrolled back, it continues from the same time', async () => {
  let checked = 0;
  for (const slug of SLUGS) {
    const page = await site.newPage();
    for (const { index, name, animated } of await clockedWidgets(page, slug)) {
      const what = `${slug}/${name}#${index}`;
      const w = widgetAt(page, index);
      await scrollIntoView(w);
      const speed = await start(w);
      if (!(await running(page, w, animated, what))) continue;
      const key = `scroll-${index}`;
      await recordTimeline(w, key);

      await scrollOffScreen(page, w);
      await page.waitForTimeout(SETTLE_MS);
      const awayAt = await page.evaluate(() => performance.now());
      const t1 = await clockTime(w);
      await page.waitForTimeout(AWAY_MS);
      const t2 = await clockTime(w);
      assert.equal(t2, t1, `${what}: simulated time stands still while off-screen (${t1} s, then ${t2} s ${AWAY_MS} ms later)`);
      const moved = (await timeline(page, key)).filter((e) => e.at > awayAt);
      assert.deepEqual(moved, [], `${what}: the time readout never changes while off-screen`);
      if (animated) {
        assert.equal(await w.locator('[data-action=play]').getAttribute('aria-pressed'), 'true',
          `${what}: still "playing" from the reader's point of view (it resumes by itself)`);
      }

      const backAt = await page.evaluate(() => performance.now());
      await scrollIntoView(w);
      await waitSimPast(page, w, t2 + 1);
      await twoValuesSince(page, key, backAt);
      assertResumed(await timeline(page, key), backAt, t2, firstStep(speed), what);
      checked++;
    }
    await noPanic(page, slug);
    clean(page, slug);
    await page.context().close();
  }
  console.log(`pause when off-screen: ${checked} widgets with a clock checked`);
  assert.ok(checked >= 1, 'the site has at least one widget with a simulated clock');
});

test('in a hidden tab, a simulation stops; visible again, it continues from the same time', async () => {
  let checked = 0;
  for (const slug of SLUGS) {
    const page = await site.newPage();
    for (const { index, name, animated } of await clockedWidgets(page, slug)) {
      const what = `${slug}/${name}#${index}`;
      const w = widgetAt(page, index);
      await scrollIntoView(w);
      const speed = await start(w);
      if (!(await running(page, w, animated, what))) continue;
      const key = `hidden-${index}`;
      await recordTimeline(w, key);
      // requestAnimationFrame keeps firing in this emulation (the page is not really hidden), so
      // only the widget's own visibilitychange handling can stop it.
      const frames = () => page.evaluate(() => new Promise((r) => {
        let n = 0;
        const start = performance.now();
        const f = () => (performance.now() - start < 500 ? (n++, requestAnimationFrame(f)) : r(n));
        requestAnimationFrame(f);
      }));

      await setTabHidden(page, true);
      await page.waitForTimeout(SETTLE_MS);
      const awayAt = await page.evaluate(() => performance.now());
      const t1 = await clockTime(w);
      assert.ok((await frames()) >= 3, `${what}: the page still gets animation frames (the emulation hides nothing else)`);
      await page.waitForTimeout(AWAY_MS);
      const t2 = await clockTime(w);
      assert.equal(t2, t1, `${what}: simulated time stands still while the tab is hidden (${t1} s, then ${t2} s)`);
      const moved = (await timeline(page, key)).filter((e) => e.at > awayAt);
      assert.deepEqual(moved, [], `${what}: no simulation step while the tab is hidden`);

      const backAt = await page.evaluate(() => performance.now());
      await setTabHidden(page, false);
      await waitSimPast(page, w, t2 + 1);
      await twoValuesSince(page, key, backAt);
      assertResumed(await timeline(page, key), backAt, t2, firstStep(speed), what);
      checked++;
    }
    await noPanic(page, slug);
    clean(page, slug);
    await page.context().close();
  }
  console.log(`pause when the tab is hidden: ${checked} widgets with a clock checked`);
  assert.ok(checked >= 1, 'the site has at least one widget with a simulated clock');
});
