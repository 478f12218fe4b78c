//! The timeline under an animated widget's picture: the run so far, scrubbed by dragging or with
//! the keyboard (← → a step, Shift a tenth of the run, Home and End). Moving it pauses the run
//! and shows that moment exactly: the widget seeks its model run there (`model::replay::Replay::seek`),
//! and pressing Play continues from it.

use crate::ui::controls::unique_id;
use leptos::prelude::*;

/// A run's timeline.
#[component]
pub fn Timeline(
    /// The run's clock (µs of the run's own time).
    now: Signal<u64>,
    /// The furthest the run has been (µs): the timeline's end.
    reach: Signal<u64>,
    /// Called with the moment (µs) the reader moved to.
    on_seek: Callback<u64>,
    /// The smallest keyboard step (µs): the widget's Step.
    step: u64,
    /// How the widget writes a moment of its run ("12.5 s", "day 3, 14:00"), given µs of the
    /// run's clock.
    #[prop(into)]
    text: Callback<u64, String>,
    /// Where every run ends (µs), if it ends at a fixed moment: the readout says so there.
    #[prop(optional)]
    limit: Option<u64>,
) -> impl IntoView {
    let id = unique_id("timeline");
    let end = move || reach.get().max(now.get());
    let go = move |t: u64| on_seek.run(t.min(end()));
    let keydown = move |ev: web_sys::KeyboardEvent| {
        let (t, e) = (now.get_untracked(), end());
        let big = (e / 10).max(step);
        let by = if ev.shift_key() { big } else { step.max(1) };
        let to = match ev.key().as_str() {
            "ArrowLeft" | "ArrowDown" => t.saturating_sub(by),
            "ArrowRight" | "ArrowUp" => t.saturating_add(by).min(e),
            "PageDown" => t.saturating_sub(big),
            "PageUp" => t.saturating_add(big).min(e),
            "Home" => 0,
            "End" => e,
            _ => return,
        };
        ev.prevent_default();
        go(to);
    };
    let input = move |ev: leptos::ev::Event| {
        if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
            if v.is_finite() && v >= 0.0 {
                go(v as u64);
            }
        }
    };
    // A render effect: `try_run`, so one that runs while its widget is being torn down writes
    // nothing rather than reading a disposed callback.
    let valuetext = move || {
        let (t, e) = (now.get(), end());
        let end_note = if limit.is_some_and(|l| t >= l) { ", the end of the run (Reset starts again)" } else { "" };
        text.try_run(t).zip(text.try_run(e)).map(|(t, e)| format!("{t} of {e}{end_note}")).unwrap_or_default()
    };
    view! {
        <div class="timeline-scrub">
            <label for=id.clone()>"Timeline"</label>
            <input
                id=id
                type="range"
                data-action="scrub"
                min="0"
                max=move || end().to_string()
                step="any"
                prop:value=move || now.get().to_string()
                data-now=move || now.get().to_string()
                aria-valuetext=valuetext
                on:input=input
                on:keydown=keydown
            />
            <output data-k="scrub-time" aria-hidden="true">{valuetext}</output>
        </div>
    }
}

/// A replayed run's clock and reach as signals that follow `frame` (bumped on every change), and
/// where every run ends (`Replay::limit`, µs). A run that reaches its end pauses there.
/// `session` is the widget's `StoredValue` of its `model::replay::Replay` (either storage).
pub fn replay_clock<S, V>(session: V, frame: RwSignal<u64>, playing: RwSignal<bool>) -> (Signal<u64>, Signal<u64>, u64)
where
    S: model::replay::Replayable + 'static,
    V: WithValue<Value = model::replay::Replay<S>> + Copy + Send + Sync + 'static,
{
    Effect::new(move |_| {
        frame.track();
        if playing.get_untracked() && session.try_with_value(|s| s.at_end()).unwrap_or(false) {
            playing.set(false);
        }
    });
    let limit = session.with_value(|s| s.limit());
    let now = Signal::derive(move || {
        frame.track();
        session.with_value(|s| s.now())
    });
    let reach = Signal::derive(move || {
        frame.track();
        session.with_value(|s| s.reach())
    });
    (now, reach, limit)
}

/// Seeking a replayed run: it pauses, moves there, and `then` runs (publishing the moment).
pub fn replay_seek<S, V>(session: V, playing: RwSignal<bool>, then: impl Fn() + Send + Sync + 'static) -> Callback<u64>
where
    S: model::replay::Replayable + 'static,
    V: UpdateValue<Value = model::replay::Replay<S>> + Copy + Send + Sync + 'static,
{
    Callback::new(move |t: u64| {
        playing.set(false);
        session.update_value(|s| s.seek(t));
        then();
    })
}
