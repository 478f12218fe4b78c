//! Play / pause / step / reset / speed: the same transport for every animated widget.

use crate::ui::controls::unique_id;
use leptos::prelude::*;

/// Simulated seconds per wall-clock second offered by the speed control.
pub const SPEEDS: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 100.0];

/// The transport controls. The widget owns the signals and reacts to `step` / `reset` clicks.
#[component]
pub fn Transport(
    /// Whether the simulation is running.
    playing: RwSignal<bool>,
    /// Index into [`SPEEDS`].
    speed: RwSignal<usize>,
    /// Called for a single step (advance one statistics window).
    on_step: Callback<()>,
    /// Called to restart from time zero with the same settings and seed.
    on_reset: Callback<()>,
) -> impl IntoView {
    let id = unique_id("speed");
    view! {
        <div class="transport" role="group" aria-label="Simulation controls">
            <button
                type="button"
                class="btn btn-primary"
                data-action="play"
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| playing.update(|p| *p = !*p)
            >
                {move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <button type="button" class="btn" data-action="step" on:click=move |_| {
                playing.set(false);
                on_step.run(())
            }>"Step"</button>
            <button type="button" class="btn" data-action="reset" on:click=move |_| on_reset.run(())>"Reset"</button>
            <label for=id.clone() class="speed-label">"Speed"</label>
            <select
                id=id
                data-action="speed"
                inner_html=crate::ui::controls::options_html(
                    SPEEDS.iter().enumerate().map(|(i, &s)| (i.to_string(), format!("{}×", model::fmt::number(s)), false)),
                )
                prop:value=move || speed.get().to_string()
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        speed.set(i.min(SPEEDS.len() - 1))
                    }
                }
            ></select>
        </div>
    }
}
