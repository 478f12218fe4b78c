//! `<Readouts>`: a widget's key numbers as `<dl class="readout">`, from the model's [`Facts`] —
//! the same list its decision note prints, so the page and the note cannot disagree.

use leptos::prelude::*;
use model::note::Facts;

/// The readouts of `facts`. The model gives a widget the same readouts, in the same order, for
/// every state (its tests check the keys), so the list is laid out once and only the texts follow
/// `facts`: a running simulation updates text nodes, not elements.
#[component]
pub fn Readouts(
    facts: Signal<Facts>,
    /// The list's accessible name, when "Key numbers" would not tell two lists apart.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let n = facts.with_untracked(|f| f.readouts.len());
    let item = move |i: usize| {
        let key = facts.with_untracked(|f| f.readouts[i].key);
        let wide = facts.with_untracked(|f| f.readouts[i].wide);
        let label = move || facts.with(|f| f.readouts.get(i).map(|r| r.label.clone()).unwrap_or_default());
        let value = move || facts.with(|f| f.readouts.get(i).map(|r| r.value.clone()).unwrap_or_default());
        view! {
            <div class:wide=wide>
                <dt>{label}</dt>
                <dd data-k=key>{value}</dd>
            </div>
        }
    };
    view! { <dl class="readout" aria-label=label.unwrap_or("Key numbers")>{(0..n).map(item).collect_view()}</dl> }
}
