// The rule that turns a model's outputs into an answer, the same as the Python package's (metrics.decisions and
// metrics.verdict): tests/test_screen_rule.py holds the two to each other on the same inputs.
export function decide(probs, score, card) {  // {k: the decided class's index, status: 'rejected' | 'inconclusive' | 'screened'}
  const k = card.threshold != null && probs.length === 2 ? (probs[0] >= card.threshold ? 0 : 1)
                                                          : probs.indexOf(Math.max(...probs));
  const status = score != null && card.ood_threshold != null && score > card.ood_threshold ? 'rejected'
               : card.inconclusive_below != null && probs[k] < card.inconclusive_below ? 'inconclusive' : 'screened';
  return {k, status};
}
