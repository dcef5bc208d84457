// Screen a photo in the reader's browser with the shipped TFLite models (LiteRT.js, WebAssembly).
// The photo is decoded, resized and classified on this page; it is never uploaded anywhere.
// Preprocessing follows `mpox predict`: EXIF orientation, RGB (alpha on white), Pillow's bilinear resize to the
// model's input size; the decision rule is rule.js, held to `mpox_nbdev.metrics.decisions` and `verdict` by tests/test_screen_rule.py.
import {loadLiteRt, loadAndCompile, Tensor} from './litert/core.js';
import {decide, imageWarnings} from './rule.js';
import {answerHtml} from './answer.js';

const STATIC = new URL('./', import.meta.url);
const at = (path) => new URL(path, STATIC).href;
const $ = (id) => document.getElementById(id);
const loaded = {};
let runtime = null, words = null;

function liteRt() {  // one WebAssembly runtime: the build with relaxed SIMD (Chrome and Edge since 114), 3-5x faster here than without
  runtime ??= loadLiteRt(at('litert/litert_wasm_internal.js')).catch((e) => {
    throw new Error(`the model runtime did not load (${e.message || e}); it needs WebAssembly with relaxed SIMD ` +
                    '(a current Chrome or Edge)');
  });
  return runtime;
}

function pageWords() {  // what each class means and the model in a sentence (web.page_words, staged as models/words.json)
  words ??= fetch(at('models/words.json')).then((r) => {
    if (!r.ok) throw new Error(`models/words.json: not found (${r.status})`);
    return r.json();
  });
  return words;
}

export function model(task) {  // the model file and its JSON card, loaded once per task
  loaded[task] ??= (async () => {
    const res = await fetch(at(`models/${task}.json`));
    if (!res.ok) throw new Error(`models/${task}.json: model card not found (${res.status})`);
    const card = await res.json();
    await liteRt();
    const net = await loadAndCompile(at(`models/${task}.tflite`), {accelerator: 'wasm'});
    return {card, net};
  })();
  return loaded[task];
}

// Pillow's resampling (libImaging/Resample.c): a triangle filter widened by the scale when shrinking, 8-bit
// fixed-point coefficients, a horizontal pass then a vertical pass, each rounded to 8 bits.
const PRECISION_BITS = 32 - 8 - 2;
function coefficients(inSize, outSize) {
  const scale = inSize / outSize, filterscale = Math.max(scale, 1), support = filterscale;
  const bounds = [], kernels = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale, ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = []; let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) * ss), w = t < 1 ? 1 - t : 0;
      k.push(w); ww += w;
    }
    kernels.push(k.map((w) => {
      const v = ww !== 0 ? w / ww : w;
      return v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }));
    bounds.push(xmin);
  }
  return {bounds, kernels};
}
const clip8 = (v) => Math.min(255, Math.max(0, Math.floor(v / (1 << PRECISION_BITS))));

export function resizeBilinear(rgb, w, h, size) {  // rgb: Uint8Array of w*h*3; returns size*size*3
  let src = rgb, sw = w;
  if (size !== w) {
    const {bounds, kernels} = coefficients(w, size), out = new Uint8Array(size * h * 3);
    for (let y = 0; y < h; y++) for (let xx = 0; xx < size; xx++) for (let c = 0; c < 3; c++) {
      let s = 1 << (PRECISION_BITS - 1); const k = kernels[xx], x0 = bounds[xx];
      for (let i = 0; i < k.length; i++) s += src[(y * sw + x0 + i) * 3 + c] * k[i];
      out[(y * size + xx) * 3 + c] = clip8(s);
    }
    src = out; sw = size;
  }
  if (size !== h) {
    const {bounds, kernels} = coefficients(h, size), out = new Uint8Array(size * size * 3);
    for (let yy = 0; yy < size; yy++) for (let x = 0; x < sw; x++) for (let c = 0; c < 3; c++) {
      let s = 1 << (PRECISION_BITS - 1); const k = kernels[yy], y0 = bounds[yy];
      for (let i = 0; i < k.length; i++) s += src[((y0 + i) * sw + x) * 3 + c] * k[i];
      out[(yy * sw + x) * 3 + c] = clip8(s);
    }
    src = out;
  }
  return src;
}

export async function decode(blob, name) {  // upright RGB pixels of an image file, or a one-line error
  let bmp;
  try {
    bmp = await createImageBitmap(blob, {imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'none'});
  } catch (e) {
    throw new Error(`${name}: not an image this browser can read (${blob.type || 'unknown type'}, ${blob.size} bytes)`);
  }
  const canvas = new OffscreenCanvas(bmp.width, bmp.height), g = canvas.getContext('2d');
  g.drawImage(bmp, 0, 0);
  const rgba = g.getImageData(0, 0, bmp.width, bmp.height).data, rgb = new Uint8Array(bmp.width * bmp.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3] / 255;  // alpha composited on white, as the CLI does
    for (let c = 0; c < 3; c++) rgb[j + c] = a === 1 ? rgba[i + c] : Math.round(rgba[i + c] * a + 255 * (1 - a));
  }
  return {rgb, width: bmp.width, height: bmp.height};
}

export async function screen(blob, name, task) {  // {prediction, status, probabilities, ood_score, warnings, ms, card}
  const {card, net} = await model(task);
  const {rgb, width, height} = await decode(blob, name);
  const size = card.input_size, px = resizeBilinear(rgb, width, height, size), warnings = imageWarnings(rgb, width, height, size, name);
  const t0 = performance.now();
  const input = new Tensor(Float32Array.from(px), [1, size, size, 3]);
  const outputs = await net.run([input]);
  input.delete();
  let probs = null, score = null;
  for (const t of outputs) {
    const v = Array.from(t.toTypedArray()); t.delete();
    if (v.length > 1) probs = v; else score = v[0];
  }
  const ms = performance.now() - t0;
  probs = probs.map((p) => Math.max(p, 0)); const sum = probs.reduce((a, b) => a + b, 0) || 1;
  probs = probs.map((p) => p / sum);      // an int8 softmax moves in steps of 1/256: renormalised like the CLI
  const {k, status} = decide(probs, score, card);
  return {prediction: card.classes[k], status, ood_score: score, warnings,
          probabilities: Object.fromEntries(card.classes.map((c, i) => [c, probs[i]])), ms, card};
}

function fail(message) {  // the page itself cannot screen (the runtime or a model did not load)
  $('screen-status').textContent = '';
  $('screen-error').textContent = message;
  $('result').textContent = JSON.stringify({error: message});
}

const answerJson = (r) => r.error ? {error: r.error} : {prediction: r.prediction, status: r.status, ood_score: r.ood_score,
                                                         probabilities: r.probabilities, warnings: r.warnings, ms: r.ms};

async function run(items) {  // items: [{blob, name}], screened one after another on this device; an answer each, in order
  const task = $('screen-task').value, list = $('screen-answers'), out = [];
  $('screen-error').textContent = ''; list.innerHTML = '';
  try {
    const w = (await pageWords())[task];
    for (const [i, {blob, name}] of items.entries()) {
      $('screen-status').textContent = `screening ${i + 1} of ${items.length}: ${name} …`;
      let r;
      try { r = await screen(blob, name, task); } catch (e) { r = {error: e.message || String(e)}; }
      list.insertAdjacentHTML('beforeend', answerHtml(r, name, w)); out.push(r);
      if (!r.error) $('screen-model').textContent = `Model: ${w.model} This answer took ${r.ms.toFixed(0)} ms in this browser. ` +
                                                     'Research software, not a diagnosis.';
    }
    $('screen-status').textContent = items.length > 1 ? `${items.length} photos screened on this device` : '';
    window.mpoxScreenFirstMs ??= performance.now();   // ms from navigation to the first answer
    $('result').textContent = JSON.stringify(out.length === 1 ? answerJson(out[0]) : out.map(answerJson));
  } catch (e) { fail(e.message || String(e)); }
}

export async function timing(blob, task, n = 10) {  // median in-browser latency of the model alone (ms)
  const ms = [];
  for (let i = 0; i < n; i++) ms.push((await screen(blob, 'timing', task)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(n / 2)];
}

async function offline() {  // installable, and usable with no network after this visit (book/_extra/sw.js)
  const root = new URL('../', STATIC), link = document.createElement('link');
  link.rel = 'manifest'; link.href = new URL('screen.webmanifest', root).href; document.head.append(link);
  if (!('serviceWorker' in navigator)) return;
  await navigator.serviceWorker.register(new URL('sw.js', root).href, {scope: root.pathname});
  await navigator.serviceWorker.ready;
  const own = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => new URL(u).origin === location.origin);
  const cache = await caches.open('mpox-screen');   // the theme's styles and scripts this page loaded: cached too
  await Promise.all([location.href, ...own].map((u) => cache.add(u).catch(() => {})));
  document.body.dataset.offlineReady = '1';
}

async function main() {
  const q = new URLSearchParams(location.search);
  if (q.get('task')) $('screen-task').value = q.get('task');
  const files = (fs) => run([...fs].map((f) => ({blob: f, name: f.name})));
  $('screen-file').addEventListener('change', (e) => e.target.files.length && files(e.target.files));
  const drop = $('screen-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault(); drop.classList.remove('over');
    if (e.dataTransfer.files.length) files(e.dataTransfer.files);
  });
  const images = q.getAll('image');
  if (images.length) {  // the testable contract: screen.html?image=<url relative to the page>[&image=…]&task=binary|multiclass
    const items = [];
    for (const image of images) {
      const res = await fetch(new URL(image, location.href)).catch(() => null);
      if (!res || !res.ok) return fail(`${image}: cannot fetch (${res ? res.status : 'no network'})`);
      items.push({blob: await res.blob(), name: image});
    }
    await run(items);
  }
  window.mpoxScreen = {screen, timing, model, resizeBilinear};
  document.body.dataset.screenReady = '1';
  offline().catch(() => {});   // after the photos of the address are fetched, so that they are cached too; the page works without it
}

main().catch((e) => fail(e.message || String(e)));
