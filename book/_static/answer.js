// One answer of the screening page in words a lay reader can follow (tests/test_screen_answer.py holds it to them):
// a screened photo names its class and what that class means, with the model's probabilities; an inconclusive one
// names no class ("unsure"), its numbers folded away; a rejected one shows no probabilities at all.
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);

function bars(probabilities) {
  return '<div class="screen-bars">' + Object.entries(probabilities).map(([c, p]) =>
    `<div class="screen-bar"><span>${escape(c)}</span><meter min="0" max="1" value="${p}"></meter><span>${p.toFixed(2)}</span></div>`).join('') + '</div>';
}

export function answerHtml(r, name, words) {  // r: screen()'s answer, or {error}; words: words.json's entry for the task
  const file = `<span class="screen-file">${escape(name)}</span>`;
  if (r.error) return `<li class="screen-answer error">${file}<p>${escape(r.error)}</p></li>`;
  const notes = (r.warnings || []).map((w) => `<p class="screen-warning">Note: ${escape(w.slice(w.indexOf(': ') + 2))}</p>`).join('');
  const says = {
    screened: `<p><strong>${escape(r.prediction)}</strong>: ${escape(words.classes[r.prediction])}.</p>` + bars(r.probabilities),
    inconclusive: `<p><strong>Unsure</strong>: ${escape(words.unsure || 'the model cannot tell from this photo')}. Have it looked at by a health professional.</p>` +
                  `<details><summary>The model's numbers</summary>${bars(r.probabilities)}</details>`,
    rejected: '<p><strong>Not a close-up skin photo</strong>: no answer is given. Try a sharp, well-lit close-up of the skin.</p>',
  };
  return `<li class="screen-answer ${r.status}">${file}${says[r.status]}${notes}</li>`;
}
