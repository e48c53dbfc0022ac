// Two dates compared (the contract's ?compare=D0), with no DOM: the regions and places held
// differently at the two dates (another faction, or a claim at one and confirmed at the
// other) and each faction's change in its count of regions. data/compare.go is the same
// rule on the server; golden cases: testdata/rules/compare.json.

/**
 * The diff from day `from` to day `to` (days since 1970; `from` may be the later):
 * {regions: [{id, from: {faction, claimed}, to: {…}}], places: […], deltas: {faction: n}},
 * the changes in byte order of their ids, every faction of the map in deltas.
 * timeline is static/model/timeline.js's; places is the set of ids that are places.
 */
export function compareDays(timeline, factions, from, to, places = new Set()) {
  const deltas = Object.fromEntries(factions.map((f) => [f.id, 0]));
  const regions = [];
  const placeChanges = [];
  // Only what has an event between the two days can be held differently.
  const ids = [...timeline.changedBetween(from, to)].sort(byteOrder);
  for (const id of ids) {
    const a = side(timeline, id, from);
    const b = side(timeline, id, to);
    if (a.faction === b.faction && a.claimed === b.claimed) continue;
    const change = { id, from: a, to: b };
    if (places.has(id)) {
      placeChanges.push(change);
      continue;
    }
    regions.push(change);
    if (a.faction !== b.faction) {
      deltas[a.faction] = (deltas[a.faction] ?? 0) - 1;
      deltas[b.faction] = (deltas[b.faction] ?? 0) + 1;
    }
  }
  return { regions, places: placeChanges, deltas };
}

function side(timeline, id, day) {
  const { faction, claimed } = timeline.holder(id, day);
  return { faction, claimed };
}

/** Compares strings by UTF-16 code units, which orders ASCII ids as Go's byte order does. */
function byteOrder(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A delta as the legend writes it: "+2", "−2" (a minus sign), "±0". */
export function formatDelta(n) {
  if (n > 0) return `+${n}`;
  if (n < 0) return `\u2212${-n}`;
  return '\u00b10';
}
