// Screen a photo in the reader's browser with the shipped TFLite models (LiteRT.js, WebAssembly).
// The photo is decoded, resized and classified on this page; it is never uploaded anywhere.
// Preprocessing follows `mpox predict`: EXIF orientation, RGB (alpha on white), Pillow's bilinear resize to the
// model's input size; the decision rule is rule.js, held to `mpox_nbdev.metrics.decisions` and `verdict` by tests/test_screen_rule.py.
import {loadLiteRt, loadAndCompile, Tensor} from './litert/core.js';
import {decide} from './rule.js';

const STATIC = new URL('./', import.meta.url);
const at = (path) => new URL(path, STATIC).href;
const $ = (id) => document.getElementById(id);
const loaded = {};
let runtime = null;

function liteRt() {  // one WebAssembly runtime: the build with relaxed SIMD (Chrome and Edge since 114), 3-5x faster here than without
  runtime ??= loadLiteRt(at('litert/litert_wasm_internal.js')).catch((e) => {
    throw new Error(`the model runtime did not load (${e.message || e}); it needs WebAssembly with relaxed SIMD ` +
                    '(a current Chrome or Edge)');
  });
  return runtime;
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

export async function screen(blob, name, task) {  // {prediction, status, probabilities, ood_score, ms, card}
  const {card, net} = await model(task);
  const {rgb, width, height} = await decode(blob, name);
  const size = card.input_size, px = resizeBilinear(rgb, width, height, size);
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
  return {prediction: card.classes[k], status, ood_score: score,
          probabilities: Object.fromEntries(card.classes.map((c, i) => [c, probs[i]])), ms, card};
}

function show(r, name) {
  const verdicts = {
    screened: `<strong>${r.prediction}</strong>`,
    inconclusive: `<strong>inconclusive</strong> — leans ${r.prediction} at p = ${r.probabilities[r.prediction].toFixed(3)}, below the ` +
                  `${r.card.inconclusive_below.toFixed(3)} needed for an answer; have it looked at`,
    rejected: `<strong>not a close-up skin photo</strong> (score ${r.ood_score.toFixed(3)} &gt; threshold ${r.card.ood_threshold.toFixed(3)}): ` +
              'no answer is given',
  };
  $('screen-verdict').innerHTML = `${name}: ${verdicts[r.status]}`;
  $('screen-bars').innerHTML = Object.entries(r.probabilities).map(([c, p]) =>
    `<div class="screen-bar"><span>${c}</span><meter min="0" max="1" value="${p}"></meter><span>${p.toFixed(3)}</span></div>`).join('');
  $('screen-model').innerHTML = `Model: <code>${r.card.file}</code> (${r.card.backbone} + ${r.card.augment} head, ${r.card.variant}, ` +
    `${r.card.size_mb.toFixed(2)} MB, 10-fold accuracy ${r.card.cv_metrics.accuracy.toFixed(3)}); ${r.ms.toFixed(0)} ms in this browser. ` +
    `Intended use: ${r.card.intended_use}. Limits: <a href="model_card.html">model card</a>.`;
}

function fail(message) {
  $('screen-verdict').innerHTML = ''; $('screen-bars').innerHTML = '';
  $('screen-error').textContent = message;
  $('result').textContent = JSON.stringify({error: message});
}

async function run(blob, name) {
  $('screen-error').textContent = ''; $('screen-verdict').textContent = `screening ${name} …`;
  try {
    const r = await screen(blob, name, $('screen-task').value);
    show(r, name);
    window.mpoxScreenFirstMs ??= performance.now();   // ms from navigation to the first answer
    $('result').textContent = JSON.stringify({prediction: r.prediction, status: r.status, ood_score: r.ood_score,
                                               probabilities: r.probabilities, ms: r.ms});
  } catch (e) { fail(e.message || String(e)); }
}

export async function timing(blob, task, n = 10) {  // median in-browser latency of the model alone (ms)
  const ms = [];
  for (let i = 0; i < n; i++) ms.push((await screen(blob, 'timing', task)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(n / 2)];
}

async function main() {
  const q = new URLSearchParams(location.search);
  if (q.get('task')) $('screen-task').value = q.get('task');
  $('screen-file').addEventListener('change', (e) => e.target.files[0] && run(e.target.files[0], e.target.files[0].name));
  const drop = $('screen-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault(); drop.classList.remove('over');
    const f = e.dataTransfer.files[0]; if (f) run(f, f.name);
  });
  if (q.get('image')) {  // the testable contract: screen.html?image=<url relative to the page>&task=binary|multiclass
    const url = new URL(q.get('image'), location.href), res = await fetch(url);
    if (!res.ok) return fail(`${q.get('image')}: cannot fetch (${res.status})`);
    await run(await res.blob(), q.get('image'));
  }
  window.mpoxScreen = {screen, timing, model, resizeBilinear};
  document.body.dataset.screenReady = '1';
}

main().catch((e) => fail(e.message || String(e)));
