//! A stand-in for `wasm-streams` 0.5, patched in for the whole workspace.
//!
//! Leptos always links `server_fn`, whose browser client turns streaming server-function bodies
//! into JavaScript streams with `wasm-streams`. That crate exports three `#[wasm_bindgen]` classes
//! (`IntoUnderlyingSource`, `…ByteSource`, `…Sink`), and exports are never dead code: every bundle
//! carried them, the stream machinery they keep alive and their JavaScript classes (6.5 KB of
//! wasm and 0.9 KB of JavaScript gzip, measured) for server functions a static site does not have. This crate offers the four functions `server_fn` calls,
//! with the same signatures; calling one throws a JavaScript error instead of streaming.

use futures_util::stream::{self, Stream};
use wasm_bindgen::JsValue;

const UNSUPPORTED: &str = "streaming server functions are not available in Tradeoffs (a static site)";

/// A JavaScript `ReadableStream`, as `wasm_streams::ReadableStream`.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a JavaScript stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// Would adapt a Rust stream into a JavaScript one; throws instead.
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        wasm_bindgen::throw_str(UNSUPPORTED)
    }

    /// The JavaScript stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Would read the JavaScript stream as a Rust stream; throws instead.
    pub fn into_stream(self) -> stream::Empty<Result<JsValue, JsValue>> {
        wasm_bindgen::throw_str(UNSUPPORTED)
    }
}
