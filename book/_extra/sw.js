// The screening page offline: after one visit its page, runtime, models and styles answer from this cache when the
// network is gone. Network first, so an online reader always gets the current book; the cache only stands in.
const CACHE = 'mpox-screen';
const PAGE = ['screen.html', 'screen.webmanifest', '_static/screen.js', '_static/rule.js', '_static/answer.js',
              '_static/litert/core.js', '_static/litert/wasm-utils.js', '_static/litert/litert_wasm_internal.js',
              '_static/litert/litert_wasm_internal.wasm', '_static/models/words.json',
              ...['binary', 'multiclass'].flatMap((t) => [`_static/models/${t}.tflite`, `_static/models/${t}.json`])];

self.addEventListener('install', (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(PAGE)).then(() => self.skipWaiting())));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  if (e.request.method !== 'GET' || new URL(e.request.url).origin !== location.origin) return;
  e.respondWith(fetch(e.request).then((res) => {
    if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(e.request, copy)); }
    return res;
  }).catch(() => caches.match(e.request, {ignoreSearch: true}).then((hit) => hit || Response.error())));
});
