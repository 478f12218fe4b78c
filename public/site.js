// Tradeoffs: keeps the page's theme in step with the reader's choice (the inline script in <head>,
// `THEME_SCRIPT` in crates/content/src/site.rs, applied it before the first paint; this one is
// deferred, so it never blocks rendering), wires the header's theme button and unfolds the
// contents list on wide screens. Plain JavaScript, so pages without widgets need no wasm at all.
(function () {
  'use strict';
  var KEY = 'tradeoffs-theme';
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function current() {
    var s = stored();
    if (s === 'dark' || s === 'light') return s;
    return dark && dark.matches ? 'dark' : 'light';
  }
  function apply(theme) {
    root.setAttribute('data-theme', theme);
    var b = document.getElementById('theme-toggle');
    if (b) {
      var label = theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme';
      b.setAttribute('aria-label', label);
      b.title = label;
      b.textContent = theme === 'dark' ? '\u2600' : '\u263E';
    }
  }
  apply(current());
  if (dark && dark.addEventListener) {
    dark.addEventListener('change', function () { if (!stored()) apply(current()); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    apply(current());
    var b = document.getElementById('theme-toggle');
    if (b) {
      b.addEventListener('click', function () {
        var next = current() === 'dark' ? 'light' : 'dark';
        try { window.localStorage.setItem(KEY, next); } catch (e) { /* private mode: not persisted */ }
        apply(next);
        window.dispatchEvent(new Event('tradeoffs-theme'));
      });
    }
    // The contents list ships folded, so nothing shifts on a phone; on a wide screen it has a
    // column of its own, where unfolding it moves nothing else.
    var toc = document.querySelector('.toc details');
    if (toc && window.matchMedia && window.matchMedia('(min-width: 1100px)').matches) toc.open = true;
  });
})();
