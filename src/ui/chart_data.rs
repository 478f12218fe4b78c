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

/// A table's markup: a caption, column headings and up to [`ROWS`] rows.
pub fn table_html(caption: &str, t: &Table) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut h = format!("<table class=\"results data-table\"><caption>{}</caption><thead><tr>", esc(caption));
    for c in &t.columns {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    h.push_str("</tr></thead><tbody>");
    for row in t.sampled(ROWS) {
        h.push_str("<tr>");
        for (i, v) in row.iter().enumerate() {
            let (open, close) = if i == 0 { ("<th scope=\"row\">", "</th>") } else { ("<td>", "</td>") };
            h.push_str(&format!("{open}{}{close}", Table::cell(*v)));
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
    /// Changes whenever the chart's data may have: the open table follows it.
    changed: Signal<u64>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let html = move || {
        changed.track();
        if open.get() {
            table_html(caption, &table.run(()))
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
