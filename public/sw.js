// Tradeoffs' service worker: after one visit, every page, talk deck, embed page and bundle of
// this build works with no network. Written by `cargo xtask dist`, which fills in VERSION (a hash
// of every file) and FILES (every file of the build, pages as their directory URLs).
//
// One cache per build. A new build installs beside the old one, fetches all of its files, and
// only then takes over (the old cache is deleted); pages it takes over reload themselves
// (site.js), so a page never mixes files of two builds. Requests outside the site's path, and
// anything not in the build, go to the network as usual.
'use strict';
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = 'tradeoffs-' + VERSION;
const BASE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, BASE).href, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tradeoffs-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'tradeoffs:version' && event.source) event.source.postMessage({ type: 'tradeoffs:version', version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(BASE)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (hit) return hit;
    try {
      return await fetch(request);
    } catch (e) {
      // Offline and not in this build: a page gets the site's not-found page.
      const missing = request.mode === 'navigate' ? await cache.match(new URL('404.html', BASE).href) : undefined;
      if (missing) return missing;
      throw e;
    }
  })());
});
