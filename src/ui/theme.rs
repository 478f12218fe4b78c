//! Light/dark theme and the chart palette. The palette is defined once, as CSS custom properties
//! in `public/style.css`; charts read the same properties so they always match the page.

use crate::charts::Rgb;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Colours for drawing, read from CSS custom properties.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub bg: Rgb,
    pub fg: Rgb,
    pub muted: Rgb,
    pub grid: Rgb,
    /// Okabe–Ito series colours: `--c1` … `--c6`.
    pub series: [Rgb; 6],
    /// Line width scale (2 in talk mode).
    pub stroke: u32,
}

impl Palette {
    /// Fallback used off the web (tests render SVG with it).
    pub const LIGHT: Palette = Palette {
        bg: Rgb(255, 255, 255),
        fg: Rgb(26, 26, 31),
        muted: Rgb(90, 90, 100),
        grid: Rgb(225, 225, 232),
        series: [
            Rgb(0, 114, 178),
            Rgb(213, 94, 0),
            Rgb(0, 158, 115),
            Rgb(204, 121, 167),
            Rgb(230, 159, 0),
            Rgb(86, 180, 233),
        ],
        stroke: 1,
    };

    /// Reads the palette from the computed style of `el`.
    pub fn from_element(el: &web_sys::Element) -> Palette {
        let mut p = Palette::LIGHT;
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten()) else { return p };
        let get = |name: &str, fallback: Rgb| {
            style.get_property_value(name).ok().and_then(|v| parse_hex(v.trim())).unwrap_or(fallback)
        };
        p.bg = get("--bg-elev", p.bg);
        p.fg = get("--fg", p.fg);
        p.muted = get("--muted", p.muted);
        p.grid = get("--grid", p.grid);
        for (i, c) in p.series.iter_mut().enumerate() {
            *c = get(&format!("--c{}", i + 1), *c);
        }
        if let Ok(w) = style.get_property_value("--chart-stroke") {
            p.stroke = w.trim().parse().unwrap_or(1);
        }
        p
    }
}

/// Parses `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<Rgb> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some(Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

/// Bumped when the page's theme changes (`site.js` fires `tradeoffs-theme`, or the system
/// preference flips), so charts drawn once can redraw in the new colours.
pub fn theme_epoch() -> ArcReadSignal<u32> {
    thread_local! {
        // An Arc signal: it must outlive whichever widget first asks for it.
        static EPOCH: ArcReadSignal<u32> = {
            let (get, set) = arc_signal(0u32);
            let s2 = set.clone();
            let _keep = window_event_listener_untyped("tradeoffs-theme", move |_| s2.update(|n| *n += 1));
            if let Some(m) = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()) {
                let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || set.update(|n| *n += 1));
                let _ = m.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
                cb.forget(); // for the life of the page
            }
            get
        };
    }
    EPOCH.with(|e| e.clone())
}

/// A palette read from CSS at most every [`PaletteCache::REFRESH`] frames: reading computed style
/// on every animation frame would allocate and force style work each frame, while theme changes are
/// rare and a few frames of delay are invisible.
#[derive(Default)]
pub struct PaletteCache {
    pal: Option<Palette>,
    age: u32,
}

impl PaletteCache {
    pub const REFRESH: u32 = 30;

    pub fn get(&mut self, el: &web_sys::Element) -> Palette {
        self.age += 1;
        match self.pal {
            Some(p) if self.age < Self::REFRESH => p,
            _ => {
                self.age = 0;
                *self.pal.insert(Palette::from_element(el))
            }
        }
    }
}
