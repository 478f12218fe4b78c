//! `<Readouts>`: a widget's key numbers as `<dl class="readout">`, from the model's [`Facts`] —
//! the same list its decision note prints, so the page and the note cannot disagree.
//!
//! The list is written once as markup (`inner_html`; a typed view per readout cost about 2 KB
//! gzip in every bundle), and later facts change only the texts of its `<dt>`s and `<dd>`s, so
//! the elements stay: a screen reader's place, a selection, and an observer watching a value all
//! survive a running simulation. Labels and values are escaped.

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
    let dl = NodeRef::<leptos::html::Dl>::new();
    let first = facts.with_untracked(|f| readouts_html(&f.readouts));
    Effect::new(move |_| {
        facts.with(|f| {
            if let Some(dl) = dl.get() {
                update(&dl, &f.readouts);
            }
        })
    });
    view! { <dl class="readout" aria-label=label.unwrap_or("Key numbers") node_ref=dl inner_html=first></dl> }
}

/// Brings `dl`'s texts up to date with `readouts`, element by element; rewrites the list only if
/// it no longer has one entry per readout (a model's list is the same for every state).
fn update(dl: &web_sys::Element, readouts: &[Readout]) {
    let set = |el: Option<web_sys::Element>, text: &str| match el {
        Some(el) if el.text_content().as_deref() != Some(text) => el.set_text_content(Some(text)),
        _ => {}
    };
    if dl.child_element_count() as usize != readouts.len() {
        return dl.set_inner_html(&readouts_html(readouts));
    }
    let mut item = dl.first_element_child();
    for r in readouts {
        let Some(div) = item else { break };
        let dt = div.first_element_child();
        let dd = dt.as_ref().and_then(|dt| dt.next_element_sibling());
        if dd.as_ref().and_then(|dd| dd.get_attribute("data-k")).as_deref() != Some(r.key) {
            return dl.set_inner_html(&readouts_html(readouts));
        }
        set(dt, &r.label);
        set(dd, &r.value);
        item = div.next_element_sibling();
    }
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
