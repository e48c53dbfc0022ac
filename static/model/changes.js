// The what-changed list's rule, with no DOM: as web/map_changes.go's changesOfDay computes
// it on the server. Golden cases: testdata/rules/changes.json.

/**
 * A day's events ([{region, faction, confidence, source, note}], in recording order) as the
 * list shows them: the first max, each {id, from, to, claimed, source, note}, from the holder
 * before it (before(id), the day before, for a region's first event of the day; the same
 * day's previous event's faction for the next), with the first line of its note; more counts
 * the rest.
 */
export function changesOfDay(events, before, max) {
  const latest = new Map();
  const items = [];
  let more = 0;
  for (const ev of events) {
    // Past the first max, an event is only counted: neither its holder before (a search
    // of the timeline, at hundreds of events a day a millisecond of each step of a scrub)
    // nor its faction is read again, as every later event is past max too.
    if (items.length === max) {
      more++;
      continue;
    }
    const id = String(ev.region);
    const from = latest.has(id) ? latest.get(id) : before(id);
    latest.set(id, String(ev.faction));
    items.push({
      id, from, to: String(ev.faction), claimed: ev.confidence === 'claimed',
      source: String(ev.source ?? ''), note: String(ev.note ?? '').split('\n', 1)[0].trim(),
    });
  }
  return { items, more };
}
