// The legend's counts and the summary sentence, following the regions each faction holds
// on the date shown (static/map/shown.js keeps the counts).

import { localDigits } from '../model/dates.js';
import { summarize } from '../model/summary.js';

/**
 * The counts of root's legend ([data-testid="count-{faction}"]) and its #summary, for
 * factions (id -> faction, in display order; factionList the page data's list of them) and the
 * server's wording (labels). counts and countedIds are Shown's, read live.
 * Returns {update(), updateSummary(label)}: the counts follow every step, the summary once
 * the slider rests.
 */
export function createLegend({ root, summary, factions, factionList, labels, counts, countedIds }) {
  const els = { summary };
  const countNodes = new Map();
  for (const f of factions.keys()) {
    const node = root.querySelector(`[data-testid="count-${CSS.escape(f)}"]`);
    if (node) countNodes.set(f, node);
  }

  function update() {
    for (const [f, node] of countNodes) {
      const text = localDigits(counts.get(f) ?? 0, labels?.dates);
      if (node.textContent !== text) node.textContent = text;
    }
  }

  // The server's sentence and wording (static/model/summary.js, the page data's
  // labels.summary); the rule's golden cases are testdata/rules/summary.json.
  function updateSummary(label) {
    if (!els.summary || !labels) return;
    const text = summarize(labels.summary, factionList, (f) => counts.get(f) ?? 0, countedIds.size, label, labels.dates);
    if (text) els.summary.textContent = text;
  }

  return { update, updateSummary };
}
