// What the change form says before saving, with no DOM: one sentence per region chosen and,
// for several, the sentence above them. The sentences are static/model/preview.js's, the
// same rule as the server's (testdata/rules/preview.json); this only puts them together.

import { describeChange, summarizeChanges } from '../model/preview.js';

/**
 * The preview, in words (model/preview.js's templates), of recording change ({faction, date, confidence, corrects}) in each region of
 * ids, in that order: {summary, lines}. names maps a region id to its name; holder(id)
 * says who holds it at the change's date ({faction, since}), or null while the map is not
 * ready, and then, as for an incomplete change, the preview is empty.
 */
export function describeChanges(words, factions, names, holder, ids, change) {
  const empty = { summary: '', lines: [] };
  if (ids.length === 0 || !change.faction || !change.date) return empty;
  const lines = [];
  let unchanged = 0;
  for (const id of ids) {
    const held = holder(id);
    if (!held) return empty;
    if (!change.corrects && String(held.faction) === String(change.faction)) unchanged++;
    lines.push(describeChange(words, factions, { region: names.get(id) ?? id, held, ...change }));
  }
  return { summary: summarizeChanges(words, lines.length, unchanged), lines };
}

/**
 * The regions chosen after a click on region id: left out when it was chosen, else added
 * at the end. A new array; the order is the order of choosing, as the chips show it.
 */
export function toggleRegion(ids, id) {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

/**
 * The regions chosen once the list says selected (a set of ids) is chosen: those chosen
 * before keep their order, new ones follow in the list's order (listed).
 */
export function syncRegions(ids, listed, selected) {
  const kept = ids.filter((id) => selected.has(id));
  return [...kept, ...listed.filter((id) => selected.has(id) && !kept.includes(id))];
}
