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
        let now = now_ms();
        if self.is_due_at(live, now) {
            self.last = now;
            true
        } else {
            false
        }
    }

    /// Whether `due` would say yes now, without taking the turn.
    pub fn would_be_due(&self, live: bool) -> bool {
        self.is_due_at(live, now_ms())
    }

    fn is_due_at(&self, live: bool, now: f64) -> bool {
        !live || now - self.last >= self.interval_ms || now < self.last
    }
}

/// The wall-clock time a simulation may use per animation frame, adapted to how the page keeps
/// up: it shrinks while frames arrive late (a slow machine, a busy compositor) and grows back
/// while they are on time, so the run falls behind rather than the page.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    ms: f64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { ms: Self::MAX_MS }
    }
}

impl Budget {
    pub const MAX_MS: f64 = 8.0;
    pub const MIN_MS: f64 = 1.0;
    /// The budget of a frame that also redraws charts: a chart costs about as much as a full
    /// simulation slice at 4× CPU throttle, so such a frame simulates little.
    pub const CHART_FRAME_MS: f64 = 1.5;

    /// Adapts to the last frame interval and returns this frame's budget in ms; `charts` says
    /// that this frame will redraw charts too (see `Pace::would_be_due`).
    pub fn next(&mut self, frame_ms: f64, charts: bool) -> f64 {
        self.ms = if frame_ms > 20.0 {
            (self.ms * 0.6).max(Self::MIN_MS)
        } else if frame_ms < 18.0 {
            (self.ms + 0.25).min(Self::MAX_MS)
        } else {
            self.ms
        };
        if charts {
            self.ms.min(Self::CHART_FRAME_MS)
        } else {
            self.ms
        }
    }
}

/// The paces of a simulation widget's readouts and charts.
#[derive(Debug)]
pub struct Refresh {
    pub text: Pace,
    pub chart: Pace,
}

impl Default for Refresh {
    fn default() -> Self {
        Refresh { text: Pace::TEXT, chart: Pace::CHART }
    }
}

struct Loop {
    alive: Cell<bool>,
    scheduled: Cell<bool>,
    last: Cell<f64>,
    tick: RefCell<Box<dyn FnMut(f64)>>,
}

fn schedule(l: Rc<Loop>, running: Signal<bool>) {
    if l.scheduled.replace(true) {
        return;
    }
    let l2 = l.clone();
    request_animation_frame(move || {
        l2.scheduled.set(false);
        if !l2.alive.get() || !running.get_untracked() {
            l2.last.set(f64::NAN);
            return;
        }
        let now = now_ms();
        let last = l2.last.replace(now);
        // After a pause (NaN) or a long gap (tab switch), pretend one normal frame passed.
        let dt = if last.is_nan() || now - last > 250.0 { 16.7 } else { now - last };
        (l2.tick.borrow_mut())(dt);
        schedule(l2, running);
    });
}

/// Calls `tick(dt_ms)` on every animation frame while `running` is true.
pub fn frame_loop(running: Signal<bool>, tick: impl FnMut(f64) + 'static) {
    let l = Rc::new(Loop {
        alive: Cell::new(true),
        scheduled: Cell::new(false),
        last: Cell::new(f64::NAN),
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
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("tradeoffs:interactive");
    }
}
