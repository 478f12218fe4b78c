//! The animation loop every animated widget uses: one `requestAnimationFrame` chain that runs
//! while the widget is playing and stops when it pauses or is unmounted.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Wall-clock milliseconds from `performance.now()`.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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

/// Whether the reader asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}
