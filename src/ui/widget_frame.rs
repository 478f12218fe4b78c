//! The frame around every widget: `<figure data-widget="…">`, caption, error boundary and the
//! notes from parsing its settings.

use leptos::prelude::*;
use model::spec::Note;

/// Wraps a widget. `children` is rendered inside an error boundary, so a widget that fails shows
/// a message in its own box and the page keeps working.
#[component]
pub fn WidgetFrame(
    /// The registry name; becomes `data-widget`.
    name: &'static str,
    /// Caption text under the widget.
    caption: String,
    /// Repairs made to the requested settings (clamped values, unknown options).
    #[prop(default = vec![])]
    notes: Vec<Note>,
    children: Children,
) -> impl IntoView {
    let note = (!notes.is_empty()).then(|| {
        let text = notes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; ");
        view! { <p class="widget-note" role="status">"Some settings were adjusted: " {text} "."</p> }
    });
    view! {
        <figure class="widget" data-widget=name>
            {note}
            <ErrorBoundary fallback=|errors| {
                view! {
                    <div class="widget-error" role="alert">
                        <p>"This widget stopped working:"</p>
                        <ul>
                            {move || {
                                errors
                                    .get()
                                    .into_iter()
                                    .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                    .collect_view()
                            }}
                        </ul>
                    </div>
                }
            }>{children()}</ErrorBoundary>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}
