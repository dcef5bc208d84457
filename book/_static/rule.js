// The rule that turns a model's outputs into an answer, the same as the Python package's (metrics.decisions and
// metrics.verdict): tests/test_screen_rule.py holds the two to each other on the same inputs.
export function decide(probs, score, card) {  // {k: the decided class's index, status: 'rejected' | 'inconclusive' | 'screened'}
  const k = card.threshold != null && probs.length === 2 ? (probs[0] >= card.threshold ? 0 : 1)
                                                          : probs.indexOf(Math.max(...probs));
  const status = score != null && card.ood_threshold != null && score > card.ood_threshold ? 'rejected'
               : card.inconclusive_below != null && probs[k] < card.inconclusive_below ? 'inconclusive' : 'screened';
  return {k, status};
}

// The warnings `mpox predict` gives for a photo it still screens (predict.image_warnings): smaller than the model's
// input, or nearly uniform (the standard deviation of Pillow's 8-bit grey below 3). rgb: Uint8Array of width*height*3.
export function imageWarnings(rgb, width, height, size, name) {
  const out = [];
  if (Math.min(width, height) < size) out.push(`${name}: ${width}x${height} px is smaller than the model's ${size}x${size} input; the answer is unreliable`);
  let s = 0, s2 = 0; const n = width * height;
  for (let i = 0; i < rgb.length; i += 3) {
    const l = (rgb[i] * 19595 + rgb[i + 1] * 38470 + rgb[i + 2] * 7471 + 0x8000) >>> 16;   // Pillow's RGB -> L
    s += l; s2 += l * l;
  }
  const sd = Math.sqrt(Math.max(s2 - s * s / n, 0) / n);
  if (sd < 3) out.push(`${name}: nearly uniform image (pixel std ${sd.toFixed(1)}); is it a photo of skin?`);
  return out;
}
