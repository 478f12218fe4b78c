//! Tradeoffs: interactive explainers of system-design trade-offs. The pages are static HTML
//! (rendered by `crates/content` at build time); this crate is the wasm that brings them to life:
//! it mounts the live widgets into the pages' slots, runs talk mode, and serves embeds. `main.rs`
//! only calls [`start`]. See ARCHITECTURE.md for the map.

// A partial bundle leaves out the pages it does not serve, and with them some helpers' callers.
#![cfg_attr(not(bundle_all), allow(dead_code, unused_imports))]

pub mod charts;
#[cfg(page = "embed")]
pub mod embed;
pub mod pages;
#[cfg(not(target_family = "wasm"))]
pub mod preview;
pub mod ui;
pub mod widgets;

/// The wasm heap. Talc (a maintained, MIRI-verified allocator) in place of the standard library's
/// dlmalloc: 0.7 KB gzip smaller in every bundle (and faster on wasm in talc's own benchmarks).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static HEAP: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Which bundle this build is and the widgets it contains (from `build.rs`).
pub mod bundle {
    include!(concat!(env!("OUT_DIR"), "/bundle.rs"));
}

/// Installs the panic hook, then does what the page asks for in `<body data-page>`: mount the
/// article's widgets, run a talk deck or fill an embed frame. On other pages (a blog post using
/// `embed.js`) it does nothing; the custom element calls [`embed::mount_widget`] itself.
///
/// The bundle loads with `async`, so its wasm downloads and compiles while the page is still
/// being parsed; if that finishes first, the page's behaviour waits for `DOMContentLoaded`.
pub fn start() {
    use wasm_bindgen::JsCast;
    ui::panic::install();
    ui::anim::mark("tradeoffs:start");
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.ready_state() == "loading" {
        let run = wasm_bindgen::closure::Closure::once_into_js(run_page);
        let _ = doc.add_event_listener_with_callback("DOMContentLoaded", run.unchecked_ref());
    } else {
        run_page();
    }
}

fn run_page() {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    match body.get_attribute("data-page").as_deref() {
        #[cfg(page = "article")]
        Some("article") => pages::article::mount(),
        #[cfg(page = "talk")]
        Some("talk") => pages::talk::mount(),
        #[cfg(page = "embed")]
        Some("embed") => pages::embed_page::mount(),
        _ => {}
    }
    ui::anim::mark_interactive();
}
