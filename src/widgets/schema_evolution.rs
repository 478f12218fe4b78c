//! `schema-evolution`: pick a change to a protobuf message and type a value; see the bytes field
//! by field, what the program on the other side reads (defaults, garbage and rejections marked in
//! red and in words), the verdicts of buf's categories and GitHub's REST list, and how much
//! traffic is still on the old version when it is switched off.

use crate::charts::deprecation::draw_deprecation;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{unique_id, ParamControls};
use crate::ui::readouts::Readouts;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::note::Facts;
use model::schema_evolution::{analyse, schema_facts, schema_params, SchemaReport, TimelineReport, SCHEMA_EVOLUTION};
use model::spec::{Note, State};

/// Values worth trying, as (label, value): protobuf.dev's 150, a negative number (ten bytes as
/// int32), 2³¹ and 2³² + 5 (past int32), and 0 (proto3 writes nothing).
const PICKS: [(&str, f64); 5] =
    [("150", 150.0), ("−1", -1.0), ("2³¹", 2_147_483_648.0), ("2³² + 5", 4_294_967_301.0), ("0", 0.0)];

/// The timeline chart of `t`, its sunset `notice` months after deprecation.
fn timeline_chart<DB: DrawingBackend>(
    t: &(TimelineReport, u32),
    area: &mut DB,
    pal: &Palette,
    scale: Scale,
) -> Result<(), String> {
    draw_deprecation(area, pal, scale, &t.0, t.1 as f64)
}

/// The share-card preview: the deprecation timeline in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    let r = analyse(&schema_params(&SCHEMA_EVOLUTION.defaults()));
    timeline_chart(&(r.timeline, r.params.timeline.notice_months), db, pal, scale)
}

/// The readouts of `facts` with these keys.
fn only(facts: Signal<Facts>, keys: &'static [&'static str]) -> Signal<Facts> {
    Memo::new(move |_| {
        facts.with(|f| Facts {
            readouts: f.readouts.iter().filter(|r| keys.contains(&r.key)).cloned().collect(),
            ..Facts::default()
        })
    })
    .into()
}

/// A `.proto` pane: the lines, those the change touched marked (highlight and a text marker).
fn pane(lines: &[(String, bool)]) -> impl IntoView {
    lines
        .iter()
        .map(|(l, changed)| {
            let mark = if *changed { " ◀ changed" } else { "" };
            view! { <span class="se-line" class:changed=*changed>{l.clone()}<span class="se-mark">{mark}</span>"\n"</span> }
        })
        .collect_view()
}

/// Will old clients break?
#[component]
pub fn SchemaEvolution(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &SCHEMA_EVOLUTION;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&state.with(schema_params)));
    let facts: Signal<Facts> = Memo::new(move |_| report.with(schema_facts)).into();
    let timeline = Memo::new(move |_| report.with(|r| (r.timeline.clone(), r.params.timeline.notice_months)));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], timeline, |t, _, area, pal, scale| timeline_chart(t, area, pal, scale));
    let table = Callback::new(move |_| {
        timeline.with(|t| crate::charts::series::table_of(|o| crate::charts::deprecation::deprecation(&t.0, t.1 as f64, o)))
    });
    let r = move |f: fn(&SchemaReport) -> String| move || report.with(f);
    let set_value = move |v: f64| state.update(|s| s.set(spec, "value", v));
    let id = unique_id("schema-evolution-value");
    let picks = PICKS
        .iter()
        .map(|&(label, v)| {
            view! {
                <button type="button" class="se-pick" aria-label=format!("Send {label}") on:click=move |_| set_value(v)>
                    {label}
                </button>
            }
        })
        .collect_view();
    let groups = move || {
        report.with(|r| {
            r.groups
                .iter()
                .map(|g| {
                    let unknown = if g.unknown_to_reader { " — unknown to the reader: kept, not read" } else { "" };
                    view! {
                        <li class:unknown=g.unknown_to_reader>
                            <code>
                                <span class="se-tag" title="tag">{g.tag.clone()}</span>
                                " "
                                <span class="se-len" title="length">{g.len.clone()}</span>
                                " "
                                <span class="se-payload" title="payload">{g.payload.clone()}</span>
                            </code>
                            " "
                            <span class="se-label">{g.label.clone()}{unknown}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let fields = move || {
        report.with(|r| {
            r.fields
                .iter()
                .map(|f| {
                    view! {
                        <li class:bad=f.seen.is_bad()>
                            <code>{f.decl.clone()}</code>
                            " → "
                            <strong class="se-value">{f.shown.clone()}</strong>
                            " "
                            <span class="se-mark">{f.seen.marker()}</span>
                            " "
                            <span class="se-why">{f.why.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let extra = move || {
        report.with(|r| {
            r.unknown.iter().chain(&r.input_notes).map(|u| view! { <li>{u.clone()}</li> }).collect_view()
        })
    };
    let verdicts = move || {
        report.with(|r| {
            r.verdicts
                .iter()
                .zip(["wire", "wire-json", "file", "github"])
                .map(|(v, k)| {
                    view! {
                        <tr>
                            <th scope="row">{v.book}</th>
                            <td data-k=k class:bad=v.breaking>{v.word()}</td>
                            <td class="se-why">{v.why.clone()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <WidgetFrame
            spec=spec
            caption="A protobuf message, Account, before and after one change: the bytes one side writes and what the other side reads, encoded and decoded by a small real codec. The adoption curve is illustrative.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel se" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{r(|r| r.verdict.clone())}</p>
                <div class="controls-grid se-controls">
                    <ParamControls spec=spec state=state />
                    <div class="control se-typed" data-key="value">
                        <label for=id.clone()>"The number the writer puts in credits"</label>
                        <input
                            id=id
                            type="number"
                            inputmode="numeric"
                            step="1"
                            min="-2147483648"
                            max="4300000000"
                            prop:value=move || model::fmt::number(state.with(|s| s.value_of(spec, "value").unwrap_or(0.0)))
                            on:change=move |ev| {
                                if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                                    set_value(v)
                                }
                            }
                        />
                        <div class="se-picks" role="group" aria-label="Values to try">{picks}</div>
                    </div>
                </div>
                <div class="se-schemas">
                    <section>
                        <p class="se-title">{r(|r| r.writer_title.to_string())}</p>
                        <pre class="se-proto" data-k="writer-proto">{move || report.with(|r| pane(&r.writer_proto))}</pre>
                    </section>
                    <section>
                        <p class="se-title">{r(|r| r.reader_title.to_string())}</p>
                        <pre class="se-proto" data-k="reader-proto">{move || report.with(|r| pane(&r.reader_proto))}</pre>
                    </section>
                </div>
                <div class="se-wire">
                    <p class="se-title">
                        {r(|r| format!("On the wire: {}", model::fmt::plural(r.bytes.len() as f64, "byte", "bytes")))}
                        <span class="se-legend">" (tag · length · payload)"</span>
                    </p>
                    <p class="visually-hidden" data-k="bytes">{r(|r| model::protobuf::hex(&r.bytes))}</p>
                    <ol class="se-bytes" aria-label="The bytes, record by record">{groups}</ol>
                </div>
                <div class="se-reader">
                    <p class="se-title">{r(|r| format!("What {} sees", r.reader_title.trim_start_matches("Reader: ")))}</p>
                    <ul class="se-fields" data-k="reader">{fields}</ul>
                    <ul class="se-extra">{extra}</ul>
                </div>
                <dl class="se-json">
                    <dt>"JSON as written"</dt>
                    <dd><code data-k="json">{r(|r| r.writer_json.clone())}</code></dd>
                    <dt>"JSON as read"</dt>
                    <dd class:bad=move || report.with(|r| !r.json_ok)>
                        <code data-k="json-read">{r(|r| r.reader_json.clone())}</code>
                        <span class="se-mark">{move || report.with(|r| if r.json_ok { " ✓ same" } else { " ✗ differs" })}</span>
                    </dd>
                </dl>
                <div class="table-scroll">
                    <table class="results se-verdicts">
                        <caption class="visually-hidden">"Verdicts of buf's categories and GitHub's REST list"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Rule book"</th>
                                <th scope="col">"Verdict"</th>
                                <th scope="col" class="se-why">"Why"</th>
                            </tr>
                        </thead>
                        <tbody>{verdicts}</tbody>
                    </table>
                </div>
                <p class="se-lesson" data-k="lesson">{r(|r| r.change.lesson.to_string())}</p>
                <div class="se-timeline">
                    <div class="controls-grid">
                        <ParamControls spec=spec state=state group="timeline" />
                    </div>
                    <canvas
                        class="chart chart-small"
                        node_ref=chart
                        role="img"
                        aria-label="Share of traffic still on the old version, month by month after deprecation, with the sunset marked; the numbers are in the readout below"
                    ></canvas>
                    <ChartData caption="Share of traffic still on the old version (%) by months after deprecation (an illustrative S-curve)" file="schema-evolution-deprecation" canvas=chart table=table />
                    <Readouts facts=only(facts, &["sunset", "left", "headers"]) label="Deprecation timeline" />
                </div>
            </div>
        </WidgetFrame>
    }
}
