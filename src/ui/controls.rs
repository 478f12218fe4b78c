//! Controls built from the model's parameter contract: one component renders a slider, a select
//! or a checkbox for any [`ParamSpec`], bound to a widget's [`State`] signal.

use leptos::prelude::*;
use model::fmt::number;
use model::spec::{Kind, ParamSpec, State, WidgetSpec};
use std::cell::Cell;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A page-unique element id with the given prefix (labels need one per control instance).
pub fn unique_id(prefix: &str) -> String {
    let n = NEXT_ID.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("{prefix}-{n}")
}

/// The `<option>`s of a select as HTML, for its `inner_html`: options never change after the
/// select is built, and static markup is lighter than a list of views (each embed bundle would
/// otherwise carry tachys's list rendering for three selects, about 1 KB gzip). Labels and values
/// are escaped; `disabled` marks the options that cannot be chosen.
pub fn options_html<L: AsRef<str>>(options: impl IntoIterator<Item = (String, L, bool)>) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let mut html = String::new();
    for (value, label, disabled) in options {
        let disabled = if disabled { " disabled" } else { "" };
        html.push_str(&format!("<option value=\"{}\"{disabled}>{}</option>", escape(&value), escape(label.as_ref())));
    }
    html
}

/// A slider's value with its unit (choices and toggles show their own control).
fn display(p: &ParamSpec, v: f64) -> String {
    match p.kind {
        Kind::Range { .. } => model::note::display(p, v),
        _ => String::new(),
    }
}

/// The controls of `spec`'s parameters in control group `group` ("" by default), in the order
/// the spec declares them, bound to `state`. A parameter declared `shown_if` appears only while
/// that other parameter has the named value.
#[component]
pub fn ParamControls(
    /// The widget's parameter contract.
    spec: &'static WidgetSpec,
    /// The widget's state.
    state: RwSignal<State>,
    /// Which group of parameters to render.
    #[prop(default = "")]
    group: &'static str,
) -> impl IntoView {
    spec.params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.group == group)
        .map(|(index, p)| match p.shown_if {
            // A bundle whose widgets never hide a control leaves `Show` out (`bundle::HAS_*`).
            Some((key, want)) if crate::bundle::HAS_SHOWN_IF => {
                let shown = move || state.with(|s| s.value_of(spec, key) == Some(want));
                view! { <Show when=shown><ParamControl spec index state /></Show> }.into_any()
            }
            _ => view! { <ParamControl spec index state /> }.into_any(),
        })
        .collect_view()
}

/// The control for parameter `index` of `spec`, bound to `state`.
#[component]
fn ParamControl(
    /// The widget's parameter contract.
    spec: &'static WidgetSpec,
    /// The parameter's position in `spec.params`.
    index: usize,
    /// The widget's state; the control reads and writes its value.
    state: RwSignal<State>,
) -> impl IntoView {
    let (i, p) = (index, spec.params[index]);
    let key = p.key;
    let id = unique_id(&format!("{}-{}", spec.name, key));
    let value = move || state.with(|s| s.values[i]);
    let set = move |v: f64| state.update(|s| s.set(spec, key, v));
    match p.kind {
        Kind::Range { min, max, step } => view! {
            <div class="control control-range" data-key=key>
                <label for=id.clone()>{p.label}</label>
                <input
                    id=id.clone()
                    type="range"
                    min=number(min)
                    max=number(max)
                    step=number(step)
                    prop:value=move || number(value())
                    aria-valuetext=move || display(&p, value())
                    on:input=move |ev| {
                        if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                            set(v)
                        }
                    }
                />
                <output for=id>{move || display(&p, value())}</output>
            </div>
        }
        .into_any(),
        // A bundle compiles only the kinds of control its widgets use (`bundle::HAS_*`).
        Kind::Choice(opts) if crate::bundle::HAS_CHOICE => view! {
            <div class="control control-choice" data-key=key>
                <label for=id.clone()>{p.label}</label>
                <select
                    id=id
                    inner_html=options_html((0..opts.len()).map(|j| (j.to_string(), p.option_label(j), false)))
                    prop:value=move || (value() as usize).to_string()
                    on:change=move |ev| {
                        if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                            set(v)
                        }
                    }
                ></select>
            </div>
        }
        .into_any(),
        Kind::Toggle if crate::bundle::HAS_TOGGLE => view! {
            <div class="control control-toggle" data-key=key>
                <input
                    id=id.clone()
                    type="checkbox"
                    prop:checked=move || value() != 0.0
                    on:change=move |ev| set(if event_target_checked(&ev) { 1.0 } else { 0.0 })
                />
                <label for=id>{p.label}</label>
            </div>
        }
        .into_any(),
        _ => view! { <span class="control-error">"unsupported control " {key}</span> }.into_any(),
    }
}

/// A select of named presets that writes the preset's values into `state`.
#[component]
pub fn PresetPicker(
    /// The widget's parameter contract (its presets are offered).
    spec: &'static WidgetSpec,
    /// The widget's state.
    state: RwSignal<State>,
    /// Label text.
    #[prop(default = "Policy")]
    label: &'static str,
) -> impl IntoView {
    let id = unique_id(&format!("{}-preset", spec.name));
    // The preset whose values the state currently matches, if any.
    let current = move || {
        state.with(|s| {
            spec.presets
                .iter()
                .position(|(_, vals)| vals.iter().all(|(k, v)| s.value_of(spec, k) == Some(*v)))
                .map_or("custom".to_string(), |i| i.to_string())
        })
    };
    view! {
        <div class="control control-choice control-preset" data-key="preset">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                inner_html=options_html(
                    spec.presets
                        .iter()
                        .enumerate()
                        .map(|(i, (n, _))| (i.to_string(), *n, false))
                        .chain([("custom".to_string(), "custom", true)]),
                )
                prop:value=current
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        if let Some((_, vals)) = spec.presets.get(i) {
                            state.update(|s| vals.iter().for_each(|(k, v)| s.set(spec, k, *v)));
                        }
                    }
                }
            ></select>
        </div>
    }
}

/// The run's seed: the same seed replays the same run.
#[component]
pub fn SeedControl(
    /// The widget's state (its `seed` is edited).
    state: RwSignal<State>,
) -> impl IntoView {
    let id = unique_id("seed");
    view! {
        <div class="control control-seed" data-key="seed">
            <label for=id.clone()>"Seed"</label>
            <input
                id=id
                type="number"
                min="0"
                step="1"
                inputmode="numeric"
                prop:value=move || state.with(|s| s.seed.to_string())
                on:change=move |ev| {
                    // Anything that is not a whole number leaves the seed as it was.
                    if let Ok(v) = event_target_value(&ev).trim().parse::<u64>() {
                        state.update(|s| s.seed = v)
                    }
                }
            />
        </div>
    }
}
