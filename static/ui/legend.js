// The legend's counts and the summary sentence, following the regions each faction holds
// on the date shown (static/map/shown.js keeps the counts).

/**
 * The counts of root's legend ([data-testid="count-{faction}"]) and its #summary, for
 * factions (id -> faction, in display order). counts and countedIds are Shown's, read live.
 * Returns {update(), updateSummary(label)}: the counts follow every step, the summary once
 * the slider rests.
 */
export function createLegend({ root, summary, factions, nameOf, counts, countedIds }) {
  const els = { summary };
  const countNodes = new Map();
  for (const f of factions.keys()) {
    const node = root.querySelector(`[data-testid="count-${CSS.escape(f)}"]`);
    if (node) countNodes.set(f, node);
  }

  function update() {
    for (const [f, node] of countNodes) {
      const text = String(counts.get(f) ?? 0);
      if (node.textContent !== text) node.textContent = text;
    }
  }

  // The same sentence the server renders (web/map_show.go, summary): the faction holding
  // the most regions, the first in display order on a tie.
  function updateSummary(label) {
    if (!els.summary) return;
    let top = null;
    for (const f of factions.keys()) {
      if (top === null || (counts.get(f) ?? 0) > (counts.get(top) ?? 0)) top = f;
    }
    if (top === null) return;
    els.summary.textContent = `${nameOf(top)}: ${counts.get(top) ?? 0} of ${countedIds.size} regions on ${label}.`;
  }

  return { update, updateSummary };
}
