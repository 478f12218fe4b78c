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
    offline();
    // Talk slides: "More settings" unfolds the controls a slide keeps folded (its widget shows
    // the two or three its slides block names; see focus_css in crates/content/src/site.rs).
    document.addEventListener('click', function (e) {
      var b = e.target && e.target.closest ? e.target.closest('.slide-more') : null;
      var w = b && document.getElementById(b.getAttribute('aria-controls'));
      if (!w) return;
      var open = w.classList.toggle('show-all');
      b.setAttribute('aria-expanded', String(open));
      b.textContent = open ? 'Fewer settings' : 'More settings';
      window.dispatchEvent(new Event('resize'));
    });
  });

  // Release builds name their service worker on <body data-sw> (crates/content/src/site.rs); it
  // caches the whole build on the first visit (public/sw.js). Once a worker is active every file
  // is cached: the page says so (`data-offline="ready"`, the talk's "Ready offline"). When a new
  // build's worker takes over a page the old one served, the page reloads, so it never mixes
  // files of two builds.
  function offline() {
    var sw = document.body && document.body.getAttribute('data-sw');
    var base = (document.body && document.body.getAttribute('data-base')) || '/';
    if (!sw || !('serviceWorker' in navigator)) return;
    var c = navigator.serviceWorker;
    var hadController = !!c.controller;
    var reloading = false;
    c.addEventListener('controllerchange', function () {
      if (!hadController || reloading) return;
      reloading = true;
      window.location.reload();
    });
    c.register(base + sw, { scope: base }).then(function (reg) {
      // Look for a new build on every page load, not only once a day, so a deploy reaches
      // readers on their next page.
      if (navigator.onLine && reg.active) reg.update().catch(function () {});
      return c.ready;
    }).then(function () {
      root.setAttribute('data-offline', 'ready');
      var badge = document.querySelector('.deck-offline');
      if (badge) badge.hidden = false;
    }).catch(function () { /* no worker (blocked, private mode, file://): the site works online */ });
  }
})();
