//! The widget registry: name → spec and component, for the widgets in this bundle. Widgets are
//! declared once, in their model modules, and listed in `model::WIDGETS`; `build.rs` generates the
//! modules (`src/widgets/<name>.rs`, component `<Name>`) and the two matches included below, for
//! this bundle's widgets only.

pub mod canvas;

use leptos::prelude::*;
use model::spec::{Note, State, WidgetSpec};

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// Pages only ask for widgets their bundle has (the content compiler checks articles, and
/// `embed.js` checks names before it loads a bundle), so one message covers a name that is
/// unknown and one that is known but built into another bundle. Telling them apart would put
/// every widget's name into every bundle.
fn unavailable(name: &str) -> AnyView {
    let text = format!("There is no widget called “{name}” in this bundle.");
    view! {
        <figure class="widget" data-widget="unknown">
            <p class="widget-error" role="alert">{text}</p>
        </figure>
    }
    .into_any()
}

/// Renders widget `name` with settings from `query` (a URL query string without `?`), clamping
/// bad values with a note. Unknown names render an error box instead of panicking.
pub fn render(name: &str, query: &str) -> AnyView {
    match spec_of(name) {
        Some(spec) => {
            // `scenario=<name>`: the widget opens that named run (`ui::scenarios::initial`).
            let mut rest = Vec::new();
            for pair in query.trim_start_matches('?').split('&') {
                match pair.strip_prefix("scenario=") {
                    Some(name) => provide_context(crate::ui::scenarios::Requested(name.chars().take(60).collect())),
                    None => rest.push(pair),
                }
            }
            let (state, notes) = spec.parse_query(&rest.join("&"));
            render_state(spec.name, state, notes)
        }
        None => unavailable(name),
    }
}

/// `query` parsed, clamped and written back in canonical form ("" for unknown widgets).
pub fn normalise(name: &str, query: &str) -> String {
    spec_of(name).map(|s| s.to_query(&s.parse_query(query).0)).unwrap_or_default()
}
