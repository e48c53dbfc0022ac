// The what-changed list's rule, with no DOM: as web/map_changes.go's changesOfDay computes
// it on the server. Golden cases: testdata/rules/changes.json.

/**
 * A day's events ([{region, faction, confidence, source, note}], in recording order) as the
 * list shows them: the first max, each {id, from, to, claimed, source, note}, from the holder
 * before it (before(id), the day before, for a region's first event of the day; the same
 * day's previous event's faction for the next), with the first line of its note; more counts
 * the rest. upTo (at most max) works out only the first upTo items, the rows a slider's step
 * fills at once; more is the same whatever it is.
 */
export function changesOfDay(events, before, max, upTo = max) {
  const latest = new Map();
  const items = [];
  const first = Math.max(Math.min(upTo, max), 0);
  for (const ev of events) {
    // Past the first items, an event is only counted: neither its holder before (a search
    // of the timeline, at hundreds of events a day a millisecond of each step of a scrub)
    // nor its faction is read.
    if (items.length === first) break;
    const id = String(ev.region);
    const from = latest.has(id) ? latest.get(id) : before(id);
    latest.set(id, String(ev.faction));
    items.push({
      id, from, to: String(ev.faction), claimed: ev.confidence === 'claimed',
      source: String(ev.source ?? ''), note: String(ev.note ?? '').split('\n', 1)[0].trim(),
    });
  }
  return { items, more: events.length - Math.max(Math.min(events.length, max), 0) };
}
