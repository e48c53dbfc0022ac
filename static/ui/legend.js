// The legend's counts and the summary sentence, following the regions each faction holds
// on the date shown (static/map/shown.js keeps the counts).

import { formatDelta } from '../model/compare.js';
import { localDigits } from '../model/dates.js';
import { summarize } from '../model/summary.js';
import { setHidden, setText } from './dom.js';

/**
 * The counts of root's legend ([data-testid="count-{faction}"]) and its #summary, for
 * factions (id -> faction, in display order; factionList the page data's list of them) and the
 * server's wording (labels). counts and countedIds are Shown's, read live.
 * summaryMore(iso), optional, is what the summary tells beyond the counts: claims and the
 * change since the change date before (static/model/series.js).
 * Returns {update(), updateSummary(label, iso), showDeltas(deltas)}: the counts follow every
 * step, the summary once the slider rests, the deltas (ui/compare.js) as a comparison says.
 */
export function createLegend({ root, summary, factions, factionList, labels, counts, countedIds, summaryMore }) {
  const els = { summary };
  const countNodes = new Map();
  const deltaNodes = new Map();
  for (const f of factions.keys()) {
    const node = root.querySelector(`[data-testid="count-${CSS.escape(f)}"]`);
    if (node) countNodes.set(f, node);
    const delta = root.querySelector(`[data-testid="delta-${CSS.escape(f)}"]`);
    if (delta) deltaNodes.set(f, delta);
  }

  function update() {
    for (const [f, node] of countNodes) {
      setText(node, localDigits(counts.get(f) ?? 0, labels?.dates));
    }
  }

  // The server's sentence and wording (static/model/summary.js, the page data's
  // labels.summary); the rule's golden cases are testdata/rules/summary.json.
  function updateSummary(label, iso) {
    if (!els.summary || !labels) return;
    const more = summaryMore && iso ? summaryMore(iso) : {};
    const text = summarize(labels.summary, factionList, (f) => counts.get(f) ?? 0, countedIds.size, label, { ...more, fmt: labels.dates });
    if (text) setText(els.summary, text);
  }

  /** Each faction's change in count since the compared date ("+2", "−2"); null hides them. */
  function showDeltas(deltas) {
    for (const [f, node] of deltaNodes) {
      setText(node, deltas ? formatDelta(deltas[f] ?? 0) : '');
      setHidden(node, !deltas);
    }
  }

  return { update, updateSummary, showDeltas };
}
