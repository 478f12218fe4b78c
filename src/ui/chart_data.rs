//! "Show as table" under a chart: the chart's series as an HTML table (sampled to a readable
//! number of rows; screen readers get it), a CSV download of every row and a PNG of the canvas,
//! for a slide deck. The data is `model::table::Table`, built from the same lines the chart draws
//! (`charts::series::table`).

use leptos::html::Canvas;
use leptos::prelude::*;
use model::table::Table;
use wasm_bindgen::JsCast;

/// Rows the on-page table shows at most; the CSV has them all.
pub const ROWS: usize = 21;

/// A table's markup: a caption, column headings and up to [`ROWS`] rows, each headed by its label
/// (a categorical chart's) or its first number. The caption is shown above the table as well (a
/// caption is as wide as its table, which may scroll past a phone's edge) and read once, from the
/// table.
pub fn table_html(caption: &str, t: &Table) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let c = esc(caption);
    let mut h = format!(
        "<p class=\"data-caption\" aria-hidden=\"true\">{c}</p><table class=\"results data-table\"><caption class=\"visually-hidden\">{c}</caption><thead><tr>"
    );
    for c in &t.columns {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>");
    for r in t.sampled_rows(ROWS) {
        h.push_str("<tr>");
        let label = t.label(r).map(esc);
        let cells = label.into_iter().chain(t.rows[r].iter().map(|&v| Table::cell(v)));
        for (i, c) in cells.enumerate() {
            let (open, close) = if i == 0 { ("<th scope=\"row\">", "</th>") } else { ("<td>", "</td>") };
            h.push_str(&format!("{open}{c}{close}"));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    if t.rows.len() > ROWS {
        h.push_str(&format!("<p class=\"data-note\">{ROWS} of {} rows; the CSV has them all.</p>", t.rows.len()));
    }
    h
}

/// Saves `href` as file `name` (a download link, clicked and removed).
fn download(name: &str, href: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Ok(a), Some(body)) = (doc.create_element("a"), doc.body()) else { return };
    let _ = a.set_attribute("href", href);
    let _ = a.set_attribute("download", name);
    let _ = body.append_child(&a);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
        a.remove();
    }
}

/// The chart's data, under it.
#[component]
pub fn ChartData(
    /// What the chart shows (the table's caption) and, in kebab case, its files' name.
    caption: &'static str,
    file: &'static str,
    /// The chart's canvas, for its PNG.
    canvas: NodeRef<Canvas>,
    /// The chart's data now.
    table: Callback<(), Table>,
    /// Changes whenever the chart's data may have: the open table follows it. Not needed when
    /// `table` reads signals (a computed widget's memo): the open table follows those itself.
    #[prop(optional)]
    changed: Signal<u64>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let html = move || {
        changed.track();
        if open.get() {
            table.try_run(()).map(|t| table_html(caption, &t)).unwrap_or_default()
        } else {
            String::new()
        }
    };
    let csv = move |_| {
        let text = table.run(()).csv();
        let href = format!("data:text/csv;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text)));
        download(&format!("{file}.csv"), &href);
    };
    let png = move |_| {
        if let Some(url) = canvas.get_untracked().and_then(|c| c.to_data_url().ok()) {
            download(&format!("{file}.png"), &url);
        }
    };
    view! {
        <details class="chart-data">
            <summary on:click=move |_| open.update(|o| *o = !*o)>"Show as table"</summary>
            <div class="table-scroll" inner_html=html></div>
            <div class="chart-data-actions">
                <button type="button" class="btn" data-action="csv" on:click=csv>"Download CSV"</button>
                <button type="button" class="btn" data-action="png" on:click=png>"Download PNG"</button>
            </div>
        </details>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    /// A labelled table heads each row with its label (escaped); a long one is sampled and says
    /// so.
    #[test]
    fn rows_are_headed_by_their_label_or_first_number() {
        let t = Table::labelled("provider", &["AWS", "<Azure & co>"], &[("score", &[3.5, f64::NAN])]);
        let h = table_html("Scores \"now\"", &t);
        assert!(h.contains("<caption class=\"visually-hidden\">Scores &quot;now&quot;</caption>"));
        assert!(h.starts_with("<p class=\"data-caption\" aria-hidden=\"true\">Scores &quot;now&quot;</p>"));
        assert!(h.contains("<th scope=\"col\">provider</th><th scope=\"col\">score</th>"));
        assert!(
            h.contains("<tr><th scope=\"row\">AWS</th><td>3.50</td></tr>")
                || h.contains("<tr><th scope=\"row\">AWS</th><td>3.5</td></tr>"),
            "{h}"
        );
        assert!(h.contains("<th scope=\"row\">&lt;Azure &amp; co&gt;</th><td></td>"), "{h}");
        assert!(!h.contains("data-note"));
        let pts: Vec<(f64, f64)> = (0..50).map(|i| (i as f64, 1.0)).collect();
        let h = table_html("x", &Table::from_series("t", &[("y", &pts)]));
        assert_eq!(h.matches("<tr>").count(), 1 + ROWS, "the heading row and the sampled rows");
        assert!(h.contains("<tr><th scope=\"row\">49</th><td>1</td></tr>"), "{h}");
        assert!(h.contains("21 of 50 rows"));
    }
}
