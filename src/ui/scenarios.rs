//! Named failure scenarios (`model::scenario`): a menu of recorded runs under a simulation's
//! transport, and the one a page asked for (`?scenario=<name>`, or `scenario = "<name>"` in an
//! article's widget block). Picking one opens its link as the run — settings, seed, the
//! interventions and the playhead — paused at the moment that matters, with its "watch for" line.

use crate::ui::controls::unique_id;
use leptos::prelude::*;
use model::replay::{Replay, Replayable};
use model::scenario::Scenario;
use model::spec::{Note, State};

/// The scenario named in the query a widget is being mounted with (`widgets::render` provides it).
#[derive(Clone, Debug)]
pub struct Requested(pub String);

/// The state a widget starts from: the requested scenario's run when the page named one of
/// `list` (and that scenario), else `initial`; an unknown name becomes a note listing the known.
pub fn initial(
    list: &'static [Scenario],
    initial: State,
    notes: &mut Vec<Note>,
    spec: &'static model::spec::WidgetSpec,
) -> (State, Option<&'static Scenario>) {
    let Some(Requested(name)) = use_context::<Requested>() else { return (initial, None) };
    match list.iter().find(|s| s.name == name) {
        Some(s) => (spec.parse_query(s.link).0, Some(s)),
        None => {
            let known: Vec<&str> = list.iter().map(|s| s.name).collect();
            let message = if known.is_empty() {
                "this widget has no named scenarios".to_string()
            } else {
                format!("no scenario by that name; this widget has: {}", known.join(", "))
            };
            notes.push(Note { key: "scenario".into(), message });
            (initial, None)
        }
    }
}

/// Picking a scenario in a replayed widget: its run replaces the session, paused at its moment;
/// the widget's settings follow; `then` publishes it.
pub fn replay_pick<S, V>(
    session: V,
    state: RwSignal<State>,
    playing: RwSignal<bool>,
    then: impl Fn() + Send + Sync + 'static,
) -> Callback<&'static Scenario>
where
    S: Replayable + 'static,
    V: SetValue<Value = Replay<S>> + Copy + Send + Sync + 'static,
{
    Callback::new(move |s: &'static Scenario| {
        playing.set(false);
        let (st, _) = S::SPEC.parse_query(s.link);
        let run = Replay::<S>::open(&st);
        let settings = run.settings().clone();
        session.set_value(run);
        // The same settings as the run's: the widget's settings effect finds nothing to change.
        state.set(settings);
        then();
    })
}

/// The scenario menu and, once one is picked, what to watch for.
#[component]
pub fn ScenarioMenu(
    /// The widget's scenarios.
    list: &'static [Scenario],
    /// The scenario shown (picked here, or requested by the page).
    picked: RwSignal<Option<&'static Scenario>>,
    /// Opens a scenario's run in the widget.
    on_pick: Callback<&'static Scenario>,
) -> impl IntoView {
    let id = unique_id("scenario");
    let options = crate::ui::controls::options_html(
        std::iter::once((String::new(), "Choose a failure scenario…".to_string(), false))
            .chain(list.iter().map(|s| (s.name.to_string(), s.title.to_string(), false))),
    );
    let change = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(s) = list.iter().find(|s| s.name == name) {
            picked.set(Some(s));
            on_pick.run(s);
        }
    };
    view! {
        <div class="scenarios" hidden=list.is_empty()>
            <label for=id.clone()>"Scenarios"</label>
            <select id=id data-action="scenario" inner_html=options prop:value=move || picked.get().map_or("", |s| s.name) on:change=change></select>
            <p class="scenario-caption" data-k="scenario" role="status" hidden=move || picked.get().is_none()>
                <strong>{move || picked.get().map_or("", |s| s.title)}</strong>
                " — watch for: "
                {move || picked.get().map_or("", |s| s.watch_for)}
            </p>
        </div>
    }
}
