//! Component tests: mount a component in headless Chromium, act on it, assert on the DOM.
//! Run by `cargo xtask test` (wasm-bindgen-test-runner with chromedriver).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use model::pool::TIMEOUT_POOL;
use model::retry::RETRY_STORM;
use tradeoffs::ui::controls::ParamControls;
use tradeoffs::widgets;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> HtmlElement {
    let doc = document();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    div.style().set_property("width", "800px").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

fn query<T: JsCast>(root: &HtmlElement, sel: &str) -> T {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel}")).unchecked_into()
}

fn text(root: &HtmlElement, sel: &str) -> String {
    query::<HtmlElement>(root, sel).text_content().unwrap_or_default()
}

async fn frames(n: u32) {
    for _ in 0..n {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            window().request_animation_frame(&resolve).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
    tick().await;
}

#[wasm_bindgen_test]
async fn slider_writes_the_state_and_shows_the_value() {
    let root = host();
    let state = RwSignal::new(TIMEOUT_POOL.defaults());
    let _h = leptos::mount::mount_to(root.clone(), move || view! { <ParamControls spec=&TIMEOUT_POOL state=state /> });
    tick().await;
    let input: HtmlInputElement = query(&root, "[data-key=read] input[type=range]");
    assert_eq!(text(&root, "[data-key=read] label"), "Read timeout (0 = none)");
    input.set_value("250");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    tick().await;
    assert_eq!(model::value!(TIMEOUT_POOL, state.get_untracked(), "read"), 250.0);
    assert_eq!(text(&root, "[data-key=read] output"), "250 ms");
    // The control follows the state, too.
    state.update(|s| s.set(&TIMEOUT_POOL, "read", 1e9));
    tick().await;
    assert_eq!(input.value(), "5000");
}

#[wasm_bindgen_test]
async fn retry_storm_steps_and_draws() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("retry-storm", "clients=100"));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=retry-storm]");
    query::<HtmlElement>(&fig, "[data-action=play]").click(); // pause (it may autoplay)
    frames(1).await;
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    let before = text(&fig, "[data-k=time]");
    for _ in 0..10 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    let after = text(&fig, "[data-k=time]");
    assert_ne!(before, after, "ten steps move simulated time");
    assert!(text(&fig, "[data-k=offered]").ends_with("/s"));
    // The picture is drawn: some pixel is not the background.
    assert!(drawn(&query(&fig, "canvas.picture")), "picture is blank");
}

/// The retry storm's dependency beside M/M/c/K: a seeded run without faults, opened at 30 s and
/// stepped once, says its mean wait agrees with the formula's; the queue chart is drawn.
#[wasm_bindgen_test]
async fn retry_storm_theory_badge_agrees_without_faults() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("retry-storm", "seed=1&t=30000000"));
    frames(2).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=retry-storm]");
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    query::<HtmlElement>(&fig, "[data-action=step]").click();
    frames(3).await;
    let badge = text(&fig, "p.theory-badge[data-k=theory]");
    assert!(badge.starts_with("simulated wait "), "{badge}");
    assert!(badge.contains("· M/M/c/K 1.1 ms (within "), "{badge}");
    let canvases = fig.query_selector_all("canvas.chart").unwrap().length();
    assert_eq!(canvases, 3, "rates, latency and queue charts");
}

/// A key press on an element, as a reader's keyboard makes it.
fn press(el: &HtmlElement, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    el.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
}

/// The timeline under a simulation: a link's moment is its end; the keyboard and a drag move the
/// run to exactly the moment asked for (the readout says so), pausing it; a value past either end
/// (negative, past the run) lands on that end.
#[wasm_bindgen_test]
async fn the_timeline_scrubs_the_run_by_keyboard_and_drag() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("timeout-pool", "seed=1&t=20000000"));
    frames(2).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=timeout-pool]");
    let scrub: HtmlInputElement = query(&fig, "[data-action=scrub]");
    let now = || scrub.get_attribute("data-now").unwrap_or_default();
    let playing =
        || query::<HtmlElement>(&fig, "[data-action=play]").get_attribute("aria-pressed").as_deref() == Some("true");
    assert_eq!(now(), "20000000", "the link's moment");
    assert_eq!(scrub.max(), "20000000", "the timeline ends where the run has got to");
    assert_eq!(text(&fig, "[data-k=time]"), "20.0 s");
    // Shift+← goes back a tenth of the run and pauses it there.
    press(scrub.unchecked_ref(), "ArrowLeft", true);
    frames(2).await;
    assert_eq!(now(), "18000000");
    assert!(!playing(), "scrubbing pauses the run");
    assert_eq!(text(&fig, "[data-k=time]"), "18.0 s");
    press(scrub.unchecked_ref(), "Home", false);
    frames(2).await;
    assert_eq!((now().as_str(), text(&fig, "[data-k=time]").as_str()), ("0", "0.0 s"));
    press(scrub.unchecked_ref(), "End", false);
    frames(2).await;
    assert_eq!(now(), "20000000", "End is the furthest the run has been");
    // A drag lands on the moment dragged to; a value past either end lands on that end.
    for (value, expect) in [("5000000", "5000000"), ("-3", "0"), ("1e12", "20000000")] {
        scrub.set_value(value);
        scrub.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        frames(2).await;
        assert_eq!(now(), expect, "dragged to {value}");
    }
    scrub.set_value("5000000");
    scrub.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=time]"), "5.0 s");
    // Step continues from there, and the timeline still reaches to where the run had been.
    query::<HtmlElement>(&fig, "[data-action=step]").click();
    frames(2).await;
    assert!(now().parse::<u64>().unwrap() > 5_000_000, "Step plays on from the scrubbed moment");
    assert_eq!(scrub.max(), "20000000");
}

#[wasm_bindgen_test]
async fn a_run_pauses_at_its_end_and_says_so() {
    // The thread pool's runs end at 10 simulated minutes (the link cap): one opened there and
    // played stays there, paused, and its timeline says it is the end.
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("timeout-pool", "seed=1&t=600000000"));
    frames(2).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=timeout-pool]");
    let play: HtmlElement = query(&fig, "[data-action=play]");
    play.click();
    frames(4).await;
    assert_eq!(play.get_attribute("aria-pressed").as_deref(), Some("false"), "the run pauses at its end");
    let scrub: HtmlInputElement = query(&fig, "[data-action=scrub]");
    assert_eq!(scrub.get_attribute("data-now").as_deref(), Some("600000000"));
    assert_eq!(text(&fig, "[data-k=scrub-time]"), "600.0 s of 600.0 s, the end of the run (Reset starts again)");
    // A moment before the end reads plainly.
    press(scrub.unchecked_ref(), "ArrowLeft", false);
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=scrub-time]"), "599.9 s of 600.0 s");
}

#[wasm_bindgen_test]
async fn a_policy_change_applies_to_the_running_simulation() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("retry-storm", ""));
    frames(2).await;
    let select: web_sys::HtmlSelectElement = query(&root, "[data-key=preset] select");
    select.set_value("3"); // budget
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(2).await;
    let budget: HtmlInputElement = query(&root, "[data-key=budget] input");
    assert_eq!(budget.value(), "10");
    assert!(text(&root, "[data-key=budget] output").starts_with("10%"));
}

#[wasm_bindgen_test]
async fn selects_open_on_the_state_and_follow_it() {
    let root = host();
    let _h =
        leptos::mount::mount_to(root.clone(), || widgets::render("retry-storm", "preset=budget&jitter=1&backoff=2"));
    frames(1).await;
    let select = |sel: &str| query::<web_sys::HtmlSelectElement>(&root, sel);
    // Options are static markup (`options_html`); the value is set after them.
    assert_eq!(select("[data-key=preset] select").value(), "3");
    let custom = query::<HtmlElement>(&root, "[data-key=preset] option[value=custom]");
    assert_eq!(custom.text_content().unwrap(), "custom");
    assert!(custom.has_attribute("disabled"));
    assert_eq!(select("[data-key=backoff] select").value(), "2");
    assert_eq!(select("[data-key=backoff] select").length(), 3);
    let speed = select("[data-action=speed]");
    assert_eq!((speed.value(), speed.length()), ("2".to_string(), 8));
    assert_eq!(text(&root, "[data-action=speed] option[value='2']"), "1×");
    // A change of state moves the select.
    let budget: HtmlInputElement = query(&root, "[data-key=budget] input");
    budget.set_value("55");
    budget.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(select("[data-key=preset] select").value(), "custom");
}

#[wasm_bindgen_test]
async fn bad_settings_are_clamped_with_a_note() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("retry-storm", "clients=999999&load=abc"));
    frames(1).await;
    let note = text(&root, ".widget-note");
    assert!(note.contains("clients") && note.contains("clamped"), "{note}");
    let clients: HtmlInputElement = query(&root, "[data-key=clients] input");
    let max = match RETRY_STORM.param("clients").unwrap().1.kind {
        model::spec::Kind::Range { max, .. } => max,
        _ => unreachable!(),
    };
    assert_eq!(clients.value(), max.to_string());
}

#[wasm_bindgen_test]
async fn unknown_widget_renders_an_error_box() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("no-such-widget", ""));
    tick().await;
    assert!(text(&root, ".widget-error").contains("no-such-widget"));
}

#[wasm_bindgen_test]
async fn backoff_jitter_computes_in_the_page() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("backoff-jitter", "clients=10&runs=10"));
    // Up to ~10 s of frames: the work takes a few frames normally, but a loaded CI machine can
    // stretch frames (one run here once needed more than 100).
    for _ in 0..300 {
        frames(2).await;
        if text(&root, "[data-k=progress]").contains("10 runs per strategy") {
            break;
        }
    }
    assert!(
        text(&root, "[data-k=progress]").starts_with("10 runs per strategy"),
        "{}",
        text(&root, "[data-k=progress]")
    );
    let calls = text(&root, "tr[data-strategy='No backoff'] td");
    assert!(calls.parse::<f64>().unwrap() >= 10.0, "{calls}");
}

#[wasm_bindgen_test]
async fn seed_control_accepts_whole_numbers_only() {
    use tradeoffs::ui::controls::SeedControl;
    let root = host();
    let state = RwSignal::new(RETRY_STORM.defaults());
    let _h = leptos::mount::mount_to(root.clone(), move || view! { <SeedControl state=state /> });
    tick().await;
    let input: HtmlInputElement = query(&root, "input");
    input.set_value("42");
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(state.get_untracked().seed, 42);
    input.set_value("-3");
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(state.get_untracked().seed, 42);
}

#[wasm_bindgen_test]
async fn partition_toggles_records_a_write_in_the_history() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("partition-toggles", "mode=cp"));
    frames(2).await;
    assert!(text(&root, "[data-k=verdict]").contains("No operations yet"));
    query::<HtmlElement>(&root, "[data-action=write-0]").click();
    frames(2).await;
    let ops = root.query_selector_all(".timeline .op").unwrap().length();
    assert_eq!(ops, 1, "one operation in the timeline");
    assert!(text(&root, ".timeline").contains("w1"));
}

#[wasm_bindgen_test]
async fn quorum_sliders_show_pbs() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("quorum-sliders", "n=5&r=2&w=2"));
    frames(1).await;
    assert_eq!(text(&root, "[data-k=stale]"), "30%");
    assert!(text(&root, "[data-k=overlap]").contains("can miss"));
}

/// Whether a canvas has any pixel that differs from its first one.
/// Waits up to `max` animation frames for `ok` (a resize is observed, then drawn, a frame or more
/// later on a busy machine); whether it came true.
async fn within_frames(max: u32, ok: impl Fn() -> bool) -> bool {
    for _ in 0..max {
        if ok() {
            return true;
        }
        frames(1).await;
    }
    ok()
}

fn drawn(canvas: &HtmlCanvasElement) -> bool {
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64).unwrap().data();
    let first = [data[0], data[1], data[2], data[3]];
    data.chunks(4).any(|p| p != first)
}

/// Charts are sized from the browser's layout (a `ResizeObserver`, not a layout read per draw):
/// a chart gets its box times the device pixel ratio, and is drawn again, at the new size, when
/// its box changes — with no change of settings.
#[wasm_bindgen_test]
async fn charts_follow_their_box() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("quorum-sliders", ""));
    frames(3).await;
    let canvas: HtmlCanvasElement = query(&root, "canvas.chart");
    let dpr = window().device_pixel_ratio();
    let px = |css: i32| (css as f64 * dpr).round() as u32;
    // No style sheet here: the canvas has its intrinsic 300×150 box until given one.
    assert_eq!((canvas.width(), canvas.height()), (px(300), px(150)));
    assert!(drawn(&canvas), "chart is blank");
    canvas.set_attribute("style", "width: 100%; height: 220px").unwrap();
    for width in ["800px", "500px"] {
        root.style().set_property("width", width).unwrap();
        frames(3).await;
        within_frames(30, || canvas.width() == px(canvas.client_width()) && drawn(&canvas)).await;
        assert_eq!((canvas.width(), canvas.height()), (px(canvas.client_width()), px(220)), "host {width}");
        assert!(canvas.client_width() > 300);
        assert!(drawn(&canvas), "chart is blank in a {width} host");
    }
}

/// A zoomed widget (a talk slide fits its widget with CSS `zoom`) gets backing stores for the
/// pixels it shows, not for its unzoomed box, and they follow a change of zoom alone.
#[wasm_bindgen_test]
async fn canvases_follow_css_zoom() {
    let root = host();
    root.style().set_property("width", "800px").unwrap();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("quorum-sliders", ""));
    frames(3).await;
    let canvas: HtmlCanvasElement = query(&root, "canvas.chart");
    canvas.set_attribute("style", "width: 100%; height: 200px").unwrap();
    let dpr = window().device_pixel_ratio();
    for zoom in [0.5, 0.8, 1.0] {
        root.style().set_property("zoom", &zoom.to_string()).unwrap();
        frames(3).await;
        let want = |css: i32| (css as f64 * dpr * zoom).round() as u32;
        within_frames(30, || canvas.width() == want(canvas.client_width()) && drawn(&canvas)).await;
        assert_eq!((canvas.width(), canvas.height()), (want(canvas.client_width()), want(200)), "zoom {zoom}");
        assert!(drawn(&canvas), "chart is blank at zoom {zoom}");
    }
}

/// A detached `size`×`size` canvas: its 2D context (to read pixels back) and the chart backend
/// drawing on it.
fn test_canvas(size: u32) -> (web_sys::CanvasRenderingContext2d, tradeoffs::widgets::canvas::Canvas2d) {
    let canvas: HtmlCanvasElement = document().create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(size);
    canvas.set_height(size);
    let ctx = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    (ctx, tradeoffs::widgets::canvas::Canvas2d::new(&canvas).unwrap())
}

/// Wide polylines are stroked as a plus-shaped pen of hairlines (`canvas::pen`): a 2-px line is
/// two pixels thick both horizontally and vertically, and a 1-px line stays one pixel.
#[wasm_bindgen_test]
fn wide_lines_are_as_thick_as_asked() {
    use tradeoffs::charts::{fill, DrawingBackend, Rgb};
    let (ctx, mut db) = test_canvas(40);
    let (white, black) = (Rgb(255, 255, 255), Rgb(0, 0, 0));
    fill(&mut db, white).unwrap();
    let dark = |x: u32, y: u32| {
        let d = ctx.get_image_data(x as f64, y as f64, 1.0, 1.0).unwrap().data();
        d[0] < 128
    };
    // An L: along y = 10 from x = 5 to 30, then down x = 30 to y = 35.
    db.draw_path([(5, 10), (30, 10), (30, 35)], &black.stroke(2)).unwrap();
    let rows: Vec<u32> = (5..16).filter(|&y| dark(15, y)).collect();
    let cols: Vec<u32> = (25..36).filter(|&x| dark(x, 25)).collect();
    assert_eq!(rows.len(), 2, "horizontal run covers rows {rows:?}");
    assert_eq!(cols.len(), 2, "vertical run covers columns {cols:?}");
    fill(&mut db, white).unwrap();
    db.draw_path([(5, 10), (30, 10)], &black.stroke(1)).unwrap();
    assert_eq!((5..16).filter(|&y| dark(15, y)).count(), 1);
}

/// Chart text is drawn by the canvas backend: a label lands where its anchor says, in the
/// palette's colour, and a rotated axis title reads upwards.
#[wasm_bindgen_test]
fn chart_text_lands_at_its_anchor() {
    use plotters_backend::text_anchor::{HPos, VPos};
    use tradeoffs::charts::{fill, DrawingBackend, Label, Rgb};
    let (ctx, mut db) = test_canvas(200);
    fill(&mut db, Rgb(255, 255, 255)).unwrap();
    let ink = |x: f64, y: f64, w: f64, h: f64| {
        let d = ctx.get_image_data(x, y, w, h).unwrap().data();
        d.chunks(4).filter(|p| p[0] < 160).count()
    };
    let label = Label::new(Rgb(0, 0, 0), 20.0);
    // Right-aligned at x = 100: ink left of 100, none right of it.
    db.draw_text("MMMM", &label.at(HPos::Right, VPos::Top), (100, 10)).unwrap();
    assert!(ink(40.0, 10.0, 60.0, 22.0) > 40, "text left of its right anchor");
    assert_eq!(ink(102.0, 5.0, 98.0, 30.0), 0, "nothing right of the anchor");
    // Upwards from (20, 150), centred: a tall, narrow patch of ink.
    db.draw_text("MMMMMM", &label.upwards().at(HPos::Center, VPos::Top), (20, 150)).unwrap();
    assert!(ink(20.0, 100.0, 24.0, 100.0) > 40, "rotated text right of x = 20, around y = 150");
    assert_eq!(ink(60.0, 100.0, 40.0, 100.0), 0, "rotated text stays narrow");
    let size = db.estimate_text_size("MMMM", &label).unwrap();
    assert!(size.0 > 40 && size.1 == 20, "measured {size:?}");
}

/// A seed gives the same run in wasm as natively: the standard runs of every simulation have the
/// fingerprints the native model tests check (`model::golden`).
#[wasm_bindgen_test]
fn simulations_run_the_same_in_wasm_as_natively() {
    assert_eq!(model::golden::fingerprints(), model::golden::EXPECTED);
}

/// The branch-lifetime widget: GitFlow's settings conflict on most merges; shortening the branch
/// moves the conflict rate and the lead time.
#[wasm_bindgen_test]
async fn branch_lifetime_follows_the_branch_slider() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("branch-lifetime", "preset=gitflow"));
    frames(1).await;
    assert_eq!(text(&root, "[data-k=conflict]"), "73%");
    assert_eq!(text(&root, "[data-k=lead]"), "11 days");
    assert_eq!(text(&root, "[data-k=batch]"), "360");
    // 1 − 0.995^360: most fortnightly trains fail.
    assert_eq!(text(&root, "[data-k=cfr]"), "84%");
    assert!(text(&root, "[data-k=verdict]").starts_with("Most merges hit a conflict"));
    let branch: HtmlInputElement = query(&root, "[data-key=branch] input");
    branch.set_value("0.5");
    branch.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=conflict]"), "6%");
    assert_eq!(text(&root, "[data-k=lead]"), "5.8 days");
    frames(3).await;
    assert!(drawn(&query(&root, "canvas.chart")), "the conflict chart is drawn");
    let charts = root.query_selector_all("canvas.chart").unwrap();
    assert_eq!(charts.length(), 2, "the conflict and change-failure charts");
    assert!(drawn(&charts.item(1).unwrap().dyn_into().unwrap()), "the change-failure chart is drawn");
    // With flags on ten-day work, lead time is code reaching production dark, and the note says so.
    let note = query::<web_sys::HtmlElement>(&root, "[data-k=lead-note]");
    assert!(note.hidden(), "no note without flags");
    let flags: HtmlInputElement = query(&root, "[data-key=flags] input");
    branch.set_value("10");
    branch.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    flags.click();
    frames(1).await;
    assert!(!note.hidden() && text(&root, "[data-k=lead-note]").contains("switched off"));
    assert!(root.query_selector(".widget-error").unwrap().is_none());
}

/// The telemetry budget: the question picks a pillar, the readouts quote the model (illustrative
/// service: 23,000 series — 9 counters and a 14-series histogram per label set —, 83% chance of keeping a failing trace in an hour at 1% sampling), and
/// they follow the sampling slider and the per-customer label.
#[wasm_bindgen_test]
async fn telemetry_budget_follows_its_controls() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("telemetry-budget", "question=latency"));
    frames(1).await;
    assert_eq!(text(&root, "[data-k=series]"), "23,000");
    assert_eq!(
        text(&root, "[data-k=series-math]"),
        "1,000 label sets × (9 counters + 1 histogram × 14 series) = 23,000"
    );
    assert_eq!(text(&root, "[data-k=p-kept]"), "83%");
    assert_eq!(text(&root, "[data-k=logs]"), "108 GB a day · $1,669 a month");
    assert!(text(&root, ".pillars li.chosen").starts_with("Traces"));
    let bar = |pillar: &str| {
        let rect: web_sys::Element = query(&root, &format!(".tb-bars [data-pillar={pillar}] rect"));
        rect.get_attribute("width").unwrap_or_default()
    };
    // Logs are the dearest pillar: a full bar; metrics ($230 a month) about 14% of it.
    assert_eq!(bar("Logs"), "1000");
    assert_eq!(bar("Metrics"), "138");
    let sampling: HtmlInputElement = query(&root, "[data-key=sampling] input");
    sampling.set_value("0.1");
    sampling.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=p-kept]"), "16%");
    assert!(root.query_selector("[data-k=warning]").unwrap().is_none());
    let label: HtmlInputElement = query(&root, "[data-key=bycustomer] input");
    label.set_checked(true);
    label.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=series]"), "115,000,000");
    assert!(text(&root, "[data-k=warning]").contains("multiplies every series by 5,000"));
    assert_eq!(bar("Metrics"), "1000", "the per-customer label makes metrics the dearest");
}

/// The cloud-fit widget: readouts from the model for known settings, following a slider and a
/// select.
#[wasm_bindgen_test]
async fn cloud_fit_follows_its_controls() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("cloud-fit", "engineers=12&data=100"));
    tick().await;
    assert_eq!(text(&root, "[data-k=learning]"), "$180,000 (12 engineers × 1 month × $15,000)");
    assert!(text(&root, "[data-k=egress]").starts_with("$0 under AWS's exit waiver (since 5 March 2024"));
    assert_eq!(text(&root, ".ranking li.chosen .cloud-name"), "AWS");
    let exit: web_sys::HtmlSelectElement = query(&root, "[data-key=exit] select");
    exit.set_value("1"); // list prices
    exit.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(
        text(&root, "[data-k=egress]"),
        "$7,980 for 100 TB at AWS's list tiers (as of December 2026); a flat $0.09/GB would say $9,216"
    );
    assert!(text(&root, "[data-k=break-even]").starts_with("Never pays within 24 months"));
    let input: HtmlInputElement = query(&root, "[data-key=engineers] input");
    input.set_value("24");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&root, "[data-k=learning]"), "$360,000 (24 engineers × 1 month × $15,000)");
    let select: web_sys::HtmlSelectElement = query(&root, "[data-key=needs] select");
    select.set_value("3"); // their own Azure subscriptions
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&root, ".ranking li.chosen .cloud-name"), "Azure");
    assert!(text(&root, "[data-k=verdict]").starts_with("Azure: your customers decide"));
}

/// The decision matrix: the design's totals, the flip distance and robustness from the model; a
/// weight slider that renormalises the others; a score typed into a cell; a contract that decides;
/// the price jiggle stepping through its combinations.
#[wasm_bindgen_test]
async fn decision_matrix_follows_weights_scores_and_constraints() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("decision-matrix", ""));
    tick().await;
    assert_eq!(text(&root, "[data-k=totals]"), "AWS 4.05, Azure 3.75, Google Cloud 2.95");
    assert!(text(&root, "[data-k=flip]").starts_with("7.5 points of weight from team expertise"));
    assert!(text(&root, "[data-k=robustness]").starts_with("AWS 81%"), "{}", text(&root, "[data-k=robustness]"));
    assert_eq!(text(&root, "[data-k=total-aws]"), "4.05 ✓ wins");
    // Expertise down to 20%: the other four share 80% in their old proportions, and Azure wins.
    let w: HtmlInputElement = query(&root, "[data-key=w-exp] input");
    w.set_value("20");
    w.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&root, "[data-key=w-exp] output"), "20%");
    assert_eq!(text(&root, "[data-key=w-req] output"), "30.8%");
    assert!(text(&root, "[data-k=verdict]").starts_with("Azure wins"), "{}", text(&root, "[data-k=verdict]"));
    w.set_value("35");
    w.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    tick().await;
    assert!(text(&root, "[data-k=verdict]").starts_with("AWS wins by 0.30"));
    // A score typed into a cell: Google Cloud's price 4 → 5 adds 0.15 to its total.
    let cell: HtmlInputElement = query(&root, "input[data-key=gcp-price]");
    cell.set_value("5");
    cell.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(text(&root, "[data-k=total-gcp]"), "3.10");
    // A contract requiring Azure decides, whatever the weights.
    let contract: web_sys::HtmlSelectElement = query(&root, "[data-key=contract] select");
    contract.set_value("2");
    contract.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert!(text(&root, "[data-k=verdict]").starts_with("Azure: the hard constraints decide"));
    assert!(text(&root, "[data-k=robustness]").contains("Azure 100%"));
    contract.set_value("0");
    contract.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    let jiggle: HtmlElement = query(&root, "[data-action=jiggle]");
    jiggle.click();
    tick().await;
    assert!(text(&root, "[data-k=jiggle-now]").ends_with("(same order)"), "{}", text(&root, "[data-k=jiggle-now]"));
}

/// The API widget: the default screen's numbers from the model, a slider moving them, and the
/// change picker saying whether existing clients break.
#[wasm_bindgen_test]
async fn api_roundtrips_compares_the_protocols() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("api-roundtrips", "items=20"));
    frames(1).await;
    assert_eq!(text(&root, "[data-k=rest-latency]"), "341 ms");
    assert_eq!(text(&root, "[data-k=graphql-latency]"), "152 ms");
    assert_eq!(text(&root, "[data-k=graphql-queries]"), "41");
    // The N+1 resolvers one after another against batched.
    assert_eq!(text(&root, "[data-k=graphql-serial]"), "41 ms");
    assert_eq!(text(&root, "[data-k=graphql-batched]"), "3 ms");
    assert!(text(&root, "[data-k=verdict]").starts_with("GraphQL is fastest"));
    assert_eq!(text(&root, "[data-k=compat]"), "Safe for existing clients.");
    // A datacentre round trip: 10 ms instead of 100.
    let rtt: HtmlInputElement = query(&root, "[data-key=rtt] input");
    rtt.set_value("10");
    rtt.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=grpc-latency]"), "50 ms");
    assert_eq!(text(&root, "[data-k=graphql-latency]"), "62 ms");
    let change: web_sys::HtmlSelectElement = query(&root, "[data-key=change] select");
    change.set_value("2");
    change.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=compat]"), "Breaks existing clients.");
    assert!(text(&root, "[data-k=safe-path]").contains("reserve its number"));
}

/// The schema-evolution widget: int32 → sint32 misreads protobuf.dev's 150 as 300; int64 with a
/// typed 2³² + 5 leaves an old int32 reader with 5; a quick pick, the verdicts and the sunset.
#[wasm_bindgen_test]
async fn schema_evolution_shows_what_old_clients_read() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("schema-evolution", ""));
    frames(1).await;
    assert_eq!(text(&root, "[data-k=bytes]"), "08 ac 02 12 07 74 65 73 74 69 6e 67 18 01");
    assert!(text(&root, "[data-k=reader]").contains("300 ✗ misread"), "{}", text(&root, "[data-k=reader]"));
    assert_eq!(text(&root, "[data-k=wire]"), "✗ breaking");
    assert_eq!(text(&root, "[data-k=github]"), "✓ compatible");
    assert_eq!(text(&root, "[data-k=left]"), "32%");
    let change: web_sys::HtmlSelectElement = query(&root, "[data-key=change] select");
    change.set_value("5");
    change.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    let value: HtmlInputElement = query(&root, "[data-key=value] input");
    value.set_value("4294967301");
    value.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(1).await;
    assert!(text(&root, "[data-k=bytes]").starts_with("08 85 80 80 80 10"), "{}", text(&root, "[data-k=bytes]"));
    assert!(text(&root, "[data-k=verdict]").starts_with("Breaks on the wire: an old client reads credits as 5"));
    assert_eq!(text(&root, "[data-k=wire]"), "✓ compatible");
    assert!(text(&root, "[data-k=json-read]").starts_with("Rejected"));
    // The first quick pick sends 150 again.
    query::<HtmlElement>(&root, ".se-pick").click();
    frames(1).await;
    assert!(text(&root, "[data-k=bytes]").starts_with("08 96 01"), "{}", text(&root, "[data-k=bytes]"));
    assert_eq!(value.value(), "150");
}

/// The token-lifetime widget: readouts from the model's closed forms, following the lifetime
/// slider and the mechanism select.
#[wasm_bindgen_test]
async fn token_lifetime_trades_lookups_for_the_revocation_window() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("token-lifetime", "users=6000&rpm=10"));
    frames(2).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=token-lifetime]");
    // 6,000 users × 10 a minute = 1,000 requests/s; 15-minute tokens: 6,000 / 900 s refreshes.
    assert_eq!(text(&fig, "[data-k=requests]"), "1,000/s");
    assert_eq!(text(&fig, "[data-k=lookups]"), "6.67/s");
    assert_eq!(text(&fig, "[data-k=window]"), "up to 15 min (7 min 30 s on average)");
    assert!(text(&fig, "[data-k=verdict]").contains("only refreshes"));
    let lifetime: HtmlInputElement = query(&fig, "[data-key=lifetime] input");
    lifetime.set_value("30");
    lifetime.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&fig, "[data-k=refreshes]"), "3.33/s");
    assert_eq!(text(&fig, "[data-k=window]"), "up to 30 min (15 min on average)");
    let mech: web_sys::HtmlSelectElement = query(&fig, "[data-key=mech] select");
    mech.set_value("2"); // denylist
    mech.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=lookups]"), "1,003/s");
    assert_eq!(text(&fig, "[data-k=window]"), "until its next request");
    assert!(text(&fig, "[data-k=verdict]").contains("rebuilt sessions"));
    assert!(drawn(&query(&fig, "canvas.chart")), "chart is blank");
    // Rotated refresh tokens with reuse detection: the attacker's last valid moment at 17 min.
    mech.set_value("1");
    mech.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    lifetime.set_value("15");
    lifetime.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let refresh: web_sys::HtmlSelectElement = query(&fig, "[data-key=refresh] select");
    refresh.set_value("2");
    refresh.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=theft]"), "valid until 17 min (family revoked at 15 min)");
    assert_eq!(fig.query_selector_all(".theft-events li").unwrap().length(), 4);
    assert_eq!(fig.query_selector_all(".theft-mark").unwrap().length(), 4);
}

/// The secrets widget: one-hour credentials and a 30-minute issuer outage fail a quarter of the
/// workloads; a leak runs until the credential expires; the lifetime ladder's slider moves to
/// "never rotated".
#[wasm_bindgen_test]
async fn secrets_leaks_and_fails_workloads_in_an_outage() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("secrets", "ttl=1h&outage=30"));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=secrets]");
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    query::<HtmlElement>(&fig, "[data-action=reset]").click();
    frames(1).await;
    assert_eq!(text(&fig, "[data-k=mean]"), "30 min");
    assert_eq!(text(&fig, "[data-k=issuance]"), "0.2083/s (12.5/min)");
    assert_eq!(text(&fig, "[data-k=failing]"), "25% (125 of 500)");
    assert_eq!(fig.query_selector_all(".wl-fail").unwrap().length(), 10);
    query::<HtmlElement>(&fig, "[data-action=leak]").click();
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
    }
    for _ in 0..60 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=playhead]"), "3 h of 3 h");
    assert!(text(&fig, "[data-k=leak]").starts_with("closed after "), "{}", text(&fig, "[data-k=leak]"));
    assert!(text(&fig, "[data-k=timeline]").contains("Leak 1 at "));
    assert!(drawn(&query(&fig, "canvas.secrets-chart")), "timeline is blank");
    let ttl: HtmlInputElement = query(&fig, "[data-key=ttl] input[type=range]");
    assert_eq!(ttl.get_attribute("aria-valuetext").unwrap(), "1 hour, dynamic, from the issuer");
    ttl.set_value("0");
    ttl.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&fig, "[data-key=ttl] output"), "never rotated");
    assert!(text(&fig, "[data-k=mean]").starts_with("unbounded"));
    assert_eq!(fig.query_selector_all(".wl-fail").unwrap().length(), 0);
}

/// The service split: ten services at 99.9% give 99.0% end to end and about 7 hours of failed
/// requests a month; shortening the path to one service follows in the readouts, and the chart
/// is drawn.
#[wasm_bindgen_test]
async fn service_split_multiplies_availability() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("service-split", "fanout=100&soft=2&services=3"));
    frames(3).await;
    // soft is held below services: 3 services, 2 soft, 1 on the critical path.
    assert_eq!(text(&root, "[data-k=availability]"), "99.9%");
    assert_eq!(text(&root, "[data-k=degraded]"), "0.2%");
    // Dean & Barroso: 1% slow calls, 100 in parallel: 63.4% of requests.
    assert_eq!(text(&root, "[data-k=slow]"), "63.4%");
    let soft: HtmlInputElement = query(&root, "[data-key=soft] input");
    soft.set_value("0");
    soft.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let services: HtmlInputElement = query(&root, "[data-key=services] input");
    services.set_value("10");
    services.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&root, "[data-k=availability]"), "99.0%");
    assert_eq!(text(&root, "[data-k=downtime]"), "7 h 10 min");
    assert_eq!(text(&root, "[data-k=hops]"), "9.0 ms");
    assert!(text(&root, "[data-k=verdict]").starts_with("10 services at 99.9% each give 99.0% end to end"));
    assert!(drawn(&query(&root, "canvas.chart")), "chart is blank");
    // Shrinking the path pulls the soft services down with it.
    soft.set_value("9");
    soft.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    services.set_value("4");
    services.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(soft.value(), "3");
    assert!(text(&root, "[data-k=verdict]").starts_with("Only the entry service must answer"));
    // Replicas and retries harden each service, with the independence assumption in words.
    soft.set_value("0");
    soft.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    services.set_value("10");
    services.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let retries: HtmlInputElement = query(&root, "[data-key=retries] input");
    retries.set_value("1");
    retries.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(2).await;
    assert_eq!(text(&root, "[data-k=each]"), "99.9999%");
    assert_eq!(text(&root, "[data-k=amplification]"), "512");
    assert!(text(&root, "[data-k=verdict]").contains("upper bound"));
}

#[wasm_bindgen_test]
async fn queue_vs_log_caps_the_log_at_its_partitions() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("queue-vs-log", "consumers=8&partitions=4"));
    frames(2).await;
    assert_eq!(text(&root, "[data-k=queue-parallel]"), "8 of 8 busy");
    assert_eq!(text(&root, "[data-k=log-parallel]"), "4 of 8 busy: 4 partitions");
    assert_eq!(text(&root, "[data-k=log-capacity]"), "800 msg/s");
    assert!(text(&root, "[data-k=verdict]").contains("add partitions, not consumers"));
    let partitions: HtmlInputElement = query(&root, "[data-key=partitions] input");
    partitions.set_value("8");
    partitions.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    frames(1).await;
    assert_eq!(text(&root, "[data-k=log-parallel]"), "8 of 8 busy");
    assert_eq!(text(&root, "[data-k=log-drain]"), text(&root, "[data-k=queue-drain]"));
    assert!(text(&root, "[data-k=verdict]").contains("queue and log both clear their backlogs"));
    // The new rows: M/M/c for the queue, the crash stall on the log.
    assert!(text(&root, "[data-k=queue-steady]").starts_with("M/M/c: "));
    assert!(text(&root, "[data-k=log-crash]").contains("(session.timeout.ms)"));
}

#[wasm_bindgen_test]
async fn rollout_steps_detects_and_rolls_back() {
    // The defaults: a 1 % canary (A) against blue/green (B), an obvious bug, seed 1.
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("rollout", ""));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=rollout]");
    query::<HtmlElement>(&fig, "[data-action=play]").click(); // pause (it may autoplay)
    frames(1).await;
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    query::<HtmlElement>(&fig, "[data-action=reset]").click(); // from 0, however long it played
    let panels = fig.query_selector_all(".rollout-panel").unwrap();
    assert_eq!(panels.length(), 2, "A and B");
    let panel = |i: u32| -> HtmlElement { panels.get(i).unwrap().unchecked_into() };
    let excess = |i: u32| text(&panel(i), "[data-k=excess]").replace(',', "").parse::<u64>().unwrap();
    // A minute, a second a step: the canary's analysis has caught the bug and moved its traffic
    // back; blue/green switched at 30 s and the alert has paged.
    for _ in 0..60 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert_eq!(text(&panel(0), "[data-k=time]"), "60.0 s");
    assert!(
        text(&panel(0), "[data-k=detect]").ends_with("(canary analysis)"),
        "{}",
        text(&panel(0), "[data-k=detect]")
    );
    assert!(text(&panel(0), "[data-k=status]").starts_with("Rolled back"));
    assert!(text(&panel(0), "[data-k=plan]").contains("fails at 10 errors within a minute"));
    assert!(text(&panel(1), "[data-k=detect]").ends_with("(alert)"));
    assert_eq!(text(&panel(1), "[data-k=capacity]"), "2.0× (20 of 10 pods)");
    assert!(excess(0) < 40 && excess(1) > 500, "{} vs {}", excess(0), excess(1));
    assert!(drawn(&query(&panel(1), "canvas.rollout-chart")), "chart is blank");
    // "Roll back now" does not wait for on-call: B switches back to blue within its second.
    let button: HtmlElement = query(&fig, "[data-action=rollback]");
    assert!(!button.has_attribute("disabled"));
    button.click();
    for _ in 0..3 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert!(text(&panel(1), "[data-k=status]").starts_with("Rolled back"), "{}", text(&panel(1), "[data-k=status]"));
    assert!(text(&panel(1), "[data-k=detect]").ends_with("(alert)"), "the alert noticed first");
    assert!(button.has_attribute("disabled"), "nothing left to roll back");
}

/// The queue-semantics widget: it mounts with both sides' numbers, and a poison order, stepped
/// past one visibility timeout, has been delivered twice on each side.
#[wasm_bindgen_test]
async fn queue_semantics_shows_both_sides_and_a_poison_order() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("queue-semantics", "rate=1"));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=queue-semantics]");
    assert!(text(&fig, "[data-k=time]").contains("simulated"));
    assert!(text(&fig, "[data-side=queue] .panel-label").starts_with("Queue (SQS-like): standard"));
    assert!(text(&fig, "[data-side=log] .panel-label").starts_with("Log (Kafka-like): 6 partitions"));
    query::<HtmlElement>(&fig, "[data-action=poison]").click();
    frames(1).await;
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    // The poison order is received at once and again when its 30 s visibility timeout ends (the
    // log retries it in place on the same schedule): one duplicate on each side after 35 steps
    // of 1 s, the third delivery not before 60 s.
    for _ in 0..35 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=queue-duplicates]"), "1");
    assert_eq!(text(&fig, "[data-k=log-duplicates]"), "1");
    assert!(text(&fig, "[data-k=events]").contains("delivered again"));
    // The log's C6 and C7 have no partition of the six.
    assert!(text(&fig, "[data-k=log-idle]").starts_with("2 of 8"));
    let subscribe: HtmlElement = query(&fig, "[data-action=subscribe]");
    subscribe.click();
    frames(2).await;
    assert!(subscribe.has_attribute("disabled"), "one new group at most");
}

/// The burn-rate widget: a quiet month opened at its end pages twice under the naive rule (both
/// noise) and never under the multi-window rules; steps move the clock an hour; an added
/// incident is a band the keyboard moves, and the month is evaluated again.
#[wasm_bindgen_test]
async fn burn_rate_compares_rule_sets_and_edits_incidents() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("burn-rate", "preset=quiet&t=720000000"));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=burn-rate]");
    assert_eq!(text(&fig, "[data-k=time]"), "720.00 h · day 30, 00:00");
    assert_eq!(text(&fig, "[data-k=naive-pages]"), "2");
    assert_eq!(text(&fig, "[data-k=naive-noise]"), "2");
    assert_eq!(text(&fig, "[data-k=multi-pages]"), "0");
    assert_eq!(text(&fig, "[data-k=multi-0]"), "missed");
    assert!(drawn(&query(&fig, "canvas.burn-chart")), "chart is blank");
    // From the start, paused: two steps are two hours.
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    query::<HtmlElement>(&fig, "[data-action=reset]").click();
    for _ in 0..2 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=time]"), "2.00 h · day 0, 02:00");
    // Add an incident at the playhead: a third band, 1 h at 5 %.
    let visible = || fig.query_selector_all(".burn-band:not([hidden])").unwrap().length();
    assert_eq!(visible(), 2);
    query::<HtmlElement>(&fig, "[data-action=add-incident]").click();
    frames(2).await;
    assert_eq!(visible(), 3);
    let band: HtmlElement = query(&fig, ".burn-band[data-i='2']");
    assert!(band.get_attribute("aria-label").unwrap().starts_with("Incident 3: day 0, 02:00, 1 h at 5% errors"));
    // Shift+→ moves it a day, + raises its error ratio to 10 %.
    for (key, shift) in [("ArrowRight", true), ("+", false)] {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        band.dispatch_event(&ev).unwrap();
        frames(1).await;
    }
    let label = band.get_attribute("aria-label").unwrap();
    assert!(label.starts_with("Incident 3: day 1, 02:00, 1 h at 10% errors"), "{label}");
    assert_eq!(band.text_content().unwrap_or_default().trim(), "10%");
}

/// Conway's calculator: the aligned defaults ship their first batch in about the work time, a
/// service moved by the keyboard changes lanes (announced), and "Ship 100 features" starts a new
/// batch with the last one kept for comparison.
#[wasm_bindgen_test]
async fn conway_ships_a_batch_and_moves_a_service_by_keyboard() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("conway", ""));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=conway]");
    if text(&fig, "[data-action=play]").contains("Pause") {
        query::<HtmlElement>(&fig, "[data-action=play]").click();
        frames(1).await;
    }
    query::<HtmlElement>(&fig, "[data-action=reset]").click();
    assert_eq!(fig.query_selector_all(".conway-lane[data-team]").unwrap().length(), 6);
    assert_eq!(fig.query_selector_all(".conway-svc").unwrap().length(), 12);
    assert_eq!(text(&fig, "[data-k=paths]"), "1,128 all-to-all vs 183 in teams");
    assert_eq!(text(&fig, "[data-k=lockstep]"), "88.6% for 12 services");
    for _ in 0..60 {
        query::<HtmlElement>(&fig, "[data-action=step]").click();
    }
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=time]"), "60.0 days");
    assert_eq!(text(&fig, "[data-k=progress]"), "100 of 100 arrived, 100 shipped");
    assert_eq!(text(&fig, "[data-k=median]"), "3.0 days", "aligned: one team, the work time");
    assert!(text(&fig, "[data-k=groups]").starts_with("Shipped features by teams involved: 1 team: "));
    assert!(drawn(&query(&fig, "canvas.conway-chart")), "histogram is blank");
    // A1 (team 1) down to team 2 by the keyboard.
    let a1: HtmlElement = query(&fig, "[data-svc=\"0\"]");
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &"ArrowDown".into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window(), &"KeyboardEvent".into()).unwrap().unchecked_into();
    let args = js_sys::Array::of2(&"keydown".into(), &init);
    let ev: web_sys::Event = js_sys::Reflect::construct(&ctor, &args).unwrap().unchecked_into();
    a1.dispatch_event(&ev).unwrap();
    frames(3).await;
    assert_eq!(text(&fig, "[data-k=announce]"), "A1 moved to team 2");
    let lane2: HtmlElement = query(&fig, ".conway-lane[data-team=\"1\"]");
    assert!(lane2.query_selector("[data-svc=\"0\"]").unwrap().is_some(), "A1 is in team 2's lane");
    // Without a mouse drag: tap A2, then team 3's lane.
    query::<HtmlElement>(&fig, "[data-svc=\"1\"]").click();
    frames(1).await;
    assert_eq!(query::<HtmlElement>(&fig, "[data-svc=\"1\"]").get_attribute("aria-pressed").as_deref(), Some("true"));
    query::<HtmlElement>(&fig, ".conway-lane[data-team=\"2\"] .lane-name").click();
    frames(2).await;
    assert_eq!(text(&fig, "[data-k=announce]"), "A2 moved to team 3");
    query::<HtmlElement>(&fig, "[data-action=ship]").click();
    frames(2).await;
    assert!(text(&fig, "[data-k=progress]").ends_with("0 shipped"));
    assert_eq!(text(&fig, "[data-k=previous]"), "Previous batch: median 3.0 days, p85 3.0 days.");
}

/// The queue semantics beside Little's law: a seeded share link opened at 150 s (paused where it
/// was shared) says the queue's mean in flight agrees with the formula's; both pictures have
/// their tables.
#[wasm_bindgen_test]
async fn queue_semantics_theory_badge_agrees_on_a_seeded_run() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), || widgets::render("queue-semantics", "seed=1&t=150000000"));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=queue-semantics]");
    let badge = text(&fig, "p.theory-badge[data-k=theory]");
    assert!(badge.starts_with("simulated messages in flight 2."), "{badge}");
    assert!(badge.contains("· Little's law 2.4 (within "), "{badge}");
    assert_eq!(fig.query_selector_all("details.chart-data").unwrap().length(), 2, "a table under each picture");
}

/// The partition toggles' stale reads beside the closed form: a write and, after it, a read on
/// an AP cluster of five replicas (R = W = 2: a partial quorum) with every link up: PBS one hop
/// after the write says 0%, and the run agrees.
#[wasm_bindgen_test]
async fn partition_toggles_theory_badge_compares_stale_reads_with_pbs() {
    let root = host();
    let link = "mode=ap&replicas=5&log=200000.w.0.1,600000.r.1&t=1000000";
    let _h = leptos::mount::mount_to(root.clone(), move || widgets::render("partition-toggles", link));
    frames(3).await;
    let fig: HtmlElement = query(&root, "figure[data-widget=partition-toggles]");
    assert_eq!(text(&fig, "p.theory-badge[data-k=theory]"), "simulated stale reads 0% · PBS 0% (agrees; n = 1)");
}
