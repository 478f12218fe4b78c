//! The animation loop every animated widget uses: one `requestAnimationFrame` chain that runs
//! while the widget is playing and stops when it pauses or is unmounted.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Wall-clock milliseconds from `performance.now()`.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Paces work that need not happen every frame (charts, readouts): while a simulation plays,
/// at most once per `interval_ms` of wall-clock time, however fast the simulation runs; when it
/// is paused or stepped, every time.
#[derive(Debug)]
pub struct Pace {
    last: f64,
    interval_ms: f64,
}

impl Pace {
    /// Readouts: ten refreshes a second is as fast as anyone reads.
    pub const TEXT: Pace = Pace { last: f64::NEG_INFINITY, interval_ms: 100.0 };
    /// Charts: rasterising a chart is a frame's worth of work on a slow machine (the picture,
    /// one `putImageData`, is not), so four a second while playing.
    pub const CHART: Pace = Pace { last: f64::NEG_INFINITY, interval_ms: 250.0 };

    pub fn due(&mut self, live: bool) -> bool {
        self.due_at(live, now_ms())
    }

    fn due_at(&mut self, live: bool, now: f64) -> bool {
        let due = self.is_due_at(live, now);
        if due {
            self.last = now;
        }
        due
    }

    fn is_due_at(&self, live: bool, now: f64) -> bool {
        !live || now - self.last >= self.interval_ms || now < self.last
    }
}

/// What an animation frame draws besides the picture, in order of cost: the frame loop gives the
/// simulation less time in a frame that also lays out new readouts or rasterises a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Work {
    Picture = 0,
    Text = 1,
    Chart = 2,
}

/// The wall-clock time a simulation may use per animation frame, learnt per kind of frame
/// (`Work`) from how the page keeps up, so the run falls behind rather than the page. A frame
/// that arrives late shrinks the allowance of the kind of frame before it and caps that kind
/// just below where it failed; on-time frames grow it back up to that cap, which itself rises
/// only slowly. (Growing straight back to where frames were dropped would drop one every
/// dozen frames: the controller would keep probing the limit it had found.)
///
/// Allowances are shares of the display's frame period, the shortest recent interval between
/// frames: a 120 Hz screen gets half the milliseconds of a 60 Hz one, and a browser that
/// paces animation frames at 30 Hz (Chrome's energy saver, Safari's Low Power Mode) is not
/// taken for a page dropping every other frame.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Allowances and caps per `Work`, as shares of the frame period.
    share: [f64; 3],
    cap: [f64; 3],
    last: Option<Work>,
    intervals: [f64; 15],
    next: usize,
    /// The period the caps were learnt at: a new display rate starts them afresh.
    learnt_at: f64,
}

impl Default for Budget {
    fn default() -> Self {
        // Allowances start small and grow (to the most in about 0.4 s): frames that keep up
        // show the display's real rate first — a 120 Hz screen whose every frame took two
        // periods would look like a 60 Hz one that keeps up. A chart costs about as much as a
        // full simulation slice at 4× CPU throttle, and new readouts (text shaping and layout)
        // half of one.
        Budget {
            share: [Self::MAX / 4.0, Self::MAX / 8.0, Self::MIN],
            cap: [Self::MAX; 3],
            last: None,
            intervals: [Self::PERIOD_60HZ; 15],
            next: 0,
            learnt_at: Self::PERIOD_60HZ,
        }
    }
}

impl Budget {
    /// The allowance at 60 Hz before anything is learnt (8 ms).
    pub const MAX_MS: f64 = Self::MAX * Self::PERIOD_60HZ;
    const PERIOD_60HZ: f64 = 1000.0 / 60.0;
    /// At most about half of each frame (8 ms at 60 Hz) goes to the simulation.
    const MAX: f64 = 0.48;
    const MIN: f64 = 0.03;
    /// An interval this many periods long means the previous frame missed the display's refresh.
    const LATE: f64 = 1.2;
    const ON_TIME: f64 = 1.08;
    const GROW: f64 = 0.015;
    /// How fast a cap rises per on-time frame: 10 % in about 240 frames of that kind (4 s of
    /// plain frames), so a limit found is probed again rarely, and a frame that was late for
    /// another reason (the machine was busy) costs the simulation little.
    const CAP_CREEP: f64 = 1.0004;

    /// The display's frame period in ms: the shortest of the last 15 frame intervals (within
    /// 4–50 ms; intervals are whole periods, see `frame_loop`).
    pub fn period(&self) -> f64 {
        self.intervals.iter().fold(50.0, |m: f64, &x| m.min(x))
    }

    /// Learns from the interval since the previous frame (`frame_ms`) and returns this frame's
    /// allowance in ms; `work` is what this frame will draw (see `Refresh::work`).
    pub fn next(&mut self, frame_ms: f64, work: Work) -> f64 {
        self.intervals[self.next] = model::num::clamp(frame_ms, 4.0, 50.0);
        self.next = (self.next + 1) % self.intervals.len();
        let period = self.period();
        if (period / self.learnt_at - 1.0).abs() > 0.25 {
            // The display's rate changed (or the first frames were misread as late ones).
            self.cap = [Self::MAX; 3];
            self.learnt_at = period;
        }
        if let Some(k) = self.last.replace(work) {
            let (share, cap) = (&mut self.share[k as usize], &mut self.cap[k as usize]);
            if frame_ms > period * Self::LATE {
                *cap = (*share * 0.9).max(Self::MIN);
                *share = (*share * 0.6).max(Self::MIN);
            } else if frame_ms < period * Self::ON_TIME {
                *cap = (*cap * Self::CAP_CREEP).min(Self::MAX);
                *share = (*share + Self::GROW).min(*cap);
            }
        }
        self.share[work as usize] * period
    }
}

/// The paces of a simulation widget's readouts and charts. While it plays, a refresh of its
/// charts draws one chart per frame, and readouts wait for a frame that draws no chart, so no
/// frame does two costly things.
#[derive(Debug)]
pub struct Refresh {
    text: Pace,
    chart: Pace,
    /// Charts of the current refresh still to draw.
    left: u8,
}

impl Default for Refresh {
    fn default() -> Self {
        Refresh { text: Pace::TEXT, chart: Pace::CHART, left: 0 }
    }
}

impl Refresh {
    /// What this frame will draw if its data changed (for `Budget::next`), without taking a turn.
    pub fn work(&self, live: bool) -> Work {
        self.work_at(now_ms(), live)
    }

    fn work_at(&self, now: f64, live: bool) -> Work {
        if self.left > 0 || self.chart.is_due_at(live, now) {
            Work::Chart
        } else if self.text.is_due_at(live, now) {
            Work::Text
        } else {
            Work::Picture
        }
    }

    /// Which of a widget's `n` charts to draw now: while `live`, one per frame from a refresh
    /// that starts when the chart pace is due and the data `changed`; otherwise, or `resized`
    /// (a resized canvas is blank), all that are due at once.
    pub fn charts(&mut self, live: bool, resized: bool, changed: bool, n: u8) -> std::ops::Range<u8> {
        self.charts_at(now_ms(), live, resized, changed, n)
    }

    fn charts_at(&mut self, now: f64, live: bool, resized: bool, changed: bool, n: u8) -> std::ops::Range<u8> {
        let first = if resized {
            0
        } else if self.left > 0 {
            n.saturating_sub(self.left)
        } else if changed && self.chart.due_at(live, now) {
            0
        } else {
            return 0..0;
        };
        let end = if live && !resized { (first + 1).min(n) } else { n };
        self.left = n - end;
        first..end
    }

    /// Whether to publish new readouts now: at the text pace, in a frame that draws no chart
    /// (`charts`: what `Refresh::charts` returned for this frame).
    pub fn text(&mut self, live: bool, charts: &std::ops::Range<u8>) -> bool {
        (!live || charts.is_empty()) && self.text.due(live)
    }
}

struct Loop {
    alive: Cell<bool>,
    scheduled: Cell<bool>,
    last: Cell<f64>,
    /// The last interval between frames.
    interval: Cell<f64>,
    tick: RefCell<Box<dyn FnMut(f64)>>,
}

fn schedule(l: Rc<Loop>, running: Signal<bool>) {
    if l.scheduled.replace(true) {
        return;
    }
    let l2 = l.clone();
    // The frame's own time stamp (when the display's frame began, the same for every callback of
    // the frame), not `performance.now()` when this callback happens to run: intervals are then
    // whole display periods, which `Budget` reads the display's rate from.
    let frame = Closure::once_into_js(move |now: f64| {
        l2.scheduled.set(false);
        if !l2.alive.get() || !running.get_untracked() {
            l2.last.set(f64::NAN);
            return;
        }
        let last = l2.last.replace(now);
        // After a pause (NaN) or a long gap (tab switch), pretend one frame like the last
        // passed (16.7 ms before any).
        let dt = if last.is_nan() || now - last > 250.0 { l2.interval.get() } else { now - last };
        l2.interval.set(dt);
        (l2.tick.borrow_mut())(dt);
        schedule(l2, running);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(frame.unchecked_ref());
    }
}

/// Calls `tick(dt_ms)` on every animation frame while `running` is true.
pub fn frame_loop(running: Signal<bool>, tick: impl FnMut(f64) + 'static) {
    let l = Rc::new(Loop {
        alive: Cell::new(true),
        scheduled: Cell::new(false),
        last: Cell::new(f64::NAN),
        interval: Cell::new(16.7),
        tick: RefCell::new(Box::new(tick)),
    });
    let l2 = l.clone();
    Effect::new(move |_| {
        if running.get() {
            schedule(l2.clone(), running);
        }
    });
    let alive = SendWrapper::new(l);
    on_cleanup(move || alive.alive.set(false));
}

/// True while `node` is at least partly on screen and the tab is visible. Animated widgets run
/// only then, and resume exactly where they stopped.
pub fn use_in_view<E>(node: NodeRef<E>) -> Signal<bool>
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let on_screen = RwSignal::new(true);
    let tab_visible = RwSignal::new(document_visible());
    let observer: StoredValue<Option<SendWrapper<web_sys::IntersectionObserver>>> = StoredValue::new(None);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let el: web_sys::Element = el.unchecked_into();
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(e) = entries.iter().last() {
                let e: web_sys::IntersectionObserverEntry = e.unchecked_into();
                on_screen.set(e.is_intersecting());
            }
        });
        if let Ok(obs) = web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&el);
            observer.set_value(Some(SendWrapper::new(obs)));
        }
        cb.forget(); // lives as long as the observer, which is disconnected on cleanup
    });
    let handle = window_event_listener_untyped("visibilitychange", move |_| tab_visible.set(document_visible()));
    on_cleanup(move || {
        handle.remove();
        if let Some(Some(obs)) = observer.try_get_value() {
            obs.disconnect();
        }
    });
    Signal::derive(move || on_screen.get() && tab_visible.get())
}

fn document_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

thread_local! {
    static MOTION_OVERRIDE: Cell<bool> = const { Cell::new(false) };
}

/// Lets widgets animate even when the reader's system asks for reduced motion (the talk deck's
/// "Motion" button: a speaker presenting from such a laptop still wants the simulation to run).
pub fn set_motion_override(on: bool) {
    MOTION_OVERRIDE.with(|m| m.set(on));
}

/// Whether animation should wait for an explicit Play: the reader asked for reduced motion and
/// no override is in force.
pub fn prefers_reduced_motion() -> bool {
    !MOTION_OVERRIDE.with(Cell::get)
        && web_sys::window()
            .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
            .is_some_and(|m| m.matches())
}

/// Marks the moment the page's widgets are mounted and accept input (`performance.mark`), for the
/// load benchmark.
pub fn mark_interactive() {
    mark("tradeoffs:interactive");
}

/// A `performance.mark` named `name`, for the load benchmark.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

#[cfg(test)]
mod tests {
    use super::{Budget, Refresh, Work};

    /// Frames of one kind on a machine where more than `fits` ms of simulation makes the frame
    /// late: returns the share of late frames after a second of settling, and the last allowance.
    fn run(b: &mut Budget, work: Work, fits: f64, frames: usize) -> (f64, f64) {
        let (mut late, mut ms, mut dt) = (0, 0.0, 16.7);
        for i in 0..frames {
            ms = b.next(dt, work);
            dt = if ms > fits { 33.3 } else { 16.7 };
            if i >= 60 && dt > 20.0 {
                late += 1;
            }
        }
        (late as f64 / (frames - 60) as f64, ms)
    }

    #[test]
    fn budget_settles_below_the_limit_instead_of_probing_it() {
        for fits in [1.0, 3.0, 5.5, 7.5] {
            let mut b = Budget::default();
            let (late, ms) = run(&mut b, Work::Picture, fits, 3_600);
            assert!(late <= 0.01, "fits {fits}: {:.1} % late", late * 100.0);
            assert!(ms > fits * 0.6 && ms <= fits, "fits {fits}: allowance {ms}");
        }
        // A fast machine keeps the whole allowance.
        let (late, ms) = run(&mut Budget::default(), Work::Picture, 100.0, 600);
        assert_eq!(late, 0.0);
        assert!((ms - 8.0).abs() < 0.05, "{ms}");
    }

    /// Frames on a display of `period` ms where more than `fits` ms of simulation misses a
    /// refresh (the frame then takes two periods); returns the share of late frames after a
    /// second of settling, and the last allowance.
    fn run_at(period: f64, fits: f64, frames: usize) -> (f64, f64) {
        let (mut b, mut late, mut ms, mut dt) = (Budget::default(), 0, 0.0, period);
        for i in 0..frames {
            ms = b.next(dt, Work::Picture);
            dt = if ms > fits { 2.0 * period } else { period };
            if i >= 120 && dt > period {
                late += 1;
            }
        }
        (late as f64 / (frames - 120) as f64, ms)
    }

    #[test]
    fn budget_follows_the_display_rate() {
        // 30 Hz animation frames (an energy-saving mode) are not late frames: the simulation
        // keeps (more than) its 60 Hz allowance.
        let (late, ms) = run_at(1000.0 / 30.0, 100.0, 1_200);
        assert_eq!(late, 0.0);
        assert!(ms > 15.0, "30 Hz: {ms} ms");
        // 120 Hz: half the time per frame, and the limit is learnt as at 60 Hz.
        let (late, ms) = run_at(1000.0 / 120.0, 100.0, 1_200);
        assert_eq!(late, 0.0);
        assert!((ms - 4.0).abs() < 0.05, "120 Hz: {ms} ms");
        let (late, ms) = run_at(1000.0 / 120.0, 2.5, 3_600);
        assert!(late <= 0.01, "120 Hz: {:.1} % late", late * 100.0);
        assert!(ms > 1.5 && ms <= 2.5, "120 Hz: {ms} ms");
    }

    #[test]
    fn budget_learns_each_kind_of_frame_apart() {
        let mut b = Budget::default();
        let (mut late, mut dt, mut frames) = (0, 16.7, 0);
        for i in 0..3_600 {
            // Every 15th frame draws a chart; a chart frame fits 0.7 ms of simulation, others 6.
            let work = if i % 15 == 0 { Work::Chart } else { Work::Picture };
            let ms = b.next(dt, work);
            dt = if ms > if work == Work::Chart { 0.7 } else { 6.0 } { 33.3 } else { 16.7 };
            if i >= 600 {
                frames += 1;
                late += usize::from(dt > 20.0);
            }
        }
        assert!(late as f64 / frames as f64 <= 0.01, "{late} of {frames} late");
        assert!(b.next(16.7, Work::Picture) > 4.0, "plain frames keep their allowance");
        assert!(b.next(16.7, Work::Chart) <= 0.7, "chart frames learn theirs");
    }

    #[test]
    fn a_refresh_draws_one_chart_per_frame_while_playing() {
        let mut r = Refresh::default();
        assert_eq!(r.work_at(0.0, true), Work::Chart);
        assert_eq!(r.charts_at(0.0, true, false, true, 2), 0..1);
        assert_eq!(r.work_at(16.0, true), Work::Chart, "the second chart is still to draw");
        assert_eq!(r.charts_at(16.0, true, false, true, 2), 1..2);
        // Readouts wait for a frame without a chart.
        assert!(!r.text(true, &(1..2)));
        assert_eq!(r.charts_at(33.0, true, false, true, 2), 0..0, "not due again for 250 ms");
        assert_eq!(r.charts_at(260.0, true, false, false, 2), 0..0, "unchanged data is not redrawn");
        assert_eq!(r.charts_at(270.0, true, false, true, 2), 0..1);
        // Paused mid-refresh: the rest at once; paused and changed: all.
        assert_eq!(r.charts_at(280.0, false, false, false, 2), 1..2);
        assert_eq!(r.charts_at(290.0, false, false, true, 2), 0..2);
        assert_eq!(r.charts_at(300.0, false, false, false, 2), 0..0);
        // A resize redraws everything at once, even while playing.
        assert_eq!(r.charts_at(310.0, true, true, false, 2), 0..2);
        assert_eq!(r.work_at(320.0, true), Work::Text);
        assert_eq!(Refresh::default().charts_at(0.0, true, false, true, 0), 0..0);
    }
}
