//! `<Readouts>`: a widget's key numbers as `<dl class="readout">`, from the model's [`Facts`] —
//! the same list its decision note prints, so the page and the note cannot disagree.
//!
//! The list is written as markup (`inner_html`) from one reactive closure: a typed view per
//! readout cost about 2 KB gzip in every bundle, and a readout list has no controls or listeners
//! that markup would lose. Labels and values are escaped.

use leptos::prelude::*;
use model::note::{Facts, Readout};

/// The readouts as the list's inner HTML: `<div [class="wide"]><dt>label</dt><dd data-k="key">
/// value</dd></div>` each.
pub fn readouts_html(readouts: &[Readout]) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut html = String::new();
    for r in readouts {
        html.push_str(if r.wide { "<div class=\"wide\"><dt>" } else { "<div><dt>" });
        html.push_str(&esc(&r.label));
        html.push_str("</dt><dd data-k=\"");
        html.push_str(&esc(r.key));
        html.push_str("\">");
        html.push_str(&esc(&r.value));
        html.push_str("</dd></div>");
    }
    html
}

/// The readouts of `facts`, relabelled `label` for assistive technology when "Key numbers" would
/// not tell two lists apart.
#[component]
pub fn Readouts(
    facts: Signal<Facts>,
    /// The list's accessible name, when "Key numbers" would not tell two lists apart.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let html = move || facts.with(|f| readouts_html(&f.readouts));
    view! { <dl class="readout" aria-label=label.unwrap_or("Key numbers") inner_html=html></dl> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readouts_are_escaped_and_keyed() {
        let rs = [Readout::new("p99", "p99 <latency>", "4 & \"5\" ms").wide(), Readout::new("x", "A", "1")];
        assert_eq!(
            readouts_html(&rs),
            "<div class=\"wide\"><dt>p99 &lt;latency&gt;</dt><dd data-k=\"p99\">4 &amp; &quot;5&quot; ms</dd></div>\
<div><dt>A</dt><dd data-k=\"x\">1</dd></div>"
        );
    }
}
