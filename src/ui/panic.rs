//! A panic hook that tells the reader, not only the console.

use wasm_bindgen::JsCast;

/// Logs the panic (console_error_panic_hook) and shows a banner at the top of the page. The
/// banner carries `data-panic` so the end-to-end tests can fail on it.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(div) = doc.create_element("div") else { return };
        div.set_class_name("panic-banner");
        let _ = div.set_attribute("role", "alert");
        let _ = div.set_attribute("data-panic", "");
        // text_content, never HTML: the message may contain anything
        div.set_text_content(Some(&format!(
            "Something broke in this page ({info}). Reloading usually helps; please report it."
        )));
        if let Some(body) = doc.body() {
            let _ = body.prepend_with_node_1(div.unchecked_ref());
        }
    }));
}
