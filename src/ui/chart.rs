//! A computed widget's charts: [`use_chart`] draws them whenever their data, the theme or a
//! canvas's size changes, while they can be seen; [`WidgetError`] shows a widget's error.

use crate::charts::Scale;
use crate::ui::theme::Palette;
use crate::widgets::canvas::{self, Canvas2d};
use leptos::html::{Canvas, Div};
use leptos::prelude::*;

/// Draws each of `canvases` with `draw(data, i, area, palette, scale)`, `i` the canvas's index and
/// the palette read from `root`'s CSS, and again whenever `data`, the theme or a canvas's size
/// changes. It draws only while `root` is in view: a chart drawn while hidden (a talk slide not yet
/// reached) has no size. A canvas not yet laid out is drawn once it is (see [`canvas::draw`]); the
/// first error stops the rest. Returns the last drawing's error, for [`WidgetError`].
pub fn use_chart<T, const N: usize>(
    root: NodeRef<Div>,
    canvases: [NodeRef<Canvas>; N],
    data: impl With<Value = T> + 'static,
    draw: impl Fn(&T, usize, &mut Canvas2d, &Palette, Scale) -> Result<(), String> + 'static,
) -> ReadSignal<Option<String>> {
    let shown = crate::ui::anim::use_in_view(root);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(root) = root.get() else { return };
        let canvases = canvases.map(|c| c.get());
        if canvases.iter().any(Option::is_none) {
            return;
        }
        crate::ui::theme::theme_epoch().track();
        canvas::size_epoch();
        if !shown.get() {
            return;
        }
        let pal = Palette::from_element(&root);
        let res = data.with(|d| {
            canvases
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((i, c.as_ref()?)))
                .try_for_each(|(i, c)| canvas::draw(c, |area, scale| draw(d, i, area, &pal, scale)))
        });
        // Set only on a change: a widget that redraws every frame does not re-render its error box.
        let res = res.err();
        if error.with_untracked(|e| *e != res) {
            error.set(res);
        }
    });
    error.read_only()
}

/// `<p class="widget-error" role="alert">` with the widget's error, while it has one.
#[component]
pub fn WidgetError(
    /// The error to show (None: nothing).
    error: ReadSignal<Option<String>>,
) -> impl IntoView {
    move || error.get().map(|e| view! { <p class="widget-error" role="alert">{e}</p> })
}
