// The timeline of a map's events, with no DOM: who holds each region on any day, from the
// events a small map's page carries or from a large map's compact timeline.
//
// The rule is the contract's "State at date D", as data/timeline.go computes it on the
// server: a region holds the faction of its latest event dated on or before D, and on a
// tie the event recorded later wins; with no event it holds `initial` since `start`.

import { epochDay, isoDate } from './dates.js';

const COMPACT_MAGIC = 'FLT1';
const CLAIMED_BIT = 0x8000;

/**
 * Read the compact timeline (GET /api/maps/{slug}/timeline; the layout is documented in
 * data/timeline_binary.go) into the columns createTimeline works on. The arrays are views
 * over the response's bytes: nothing is parsed but the header.
 */
export function readCompactTimeline(buffer) {
  const bytes = new Uint8Array(buffer);
  const dv = new DataView(buffer);
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 4)) !== COMPACT_MAGIC) {
    throw new Error('not a Frontline compact timeline');
  }
  const headerLength = dv.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  const days = header.days;
  const n = header.events;
  let offset = 8 + headerLength;
  offset += (4 - (offset % 4)) % 4;
  if (offset + 4 * (days + 1) + 6 * n > buffer.byteLength) throw new Error('compact timeline cut short');
  const dayStarts = new Uint32Array(buffer, offset, days + 1);
  offset += 4 * (days + 1);
  const region = new Uint32Array(buffer, offset, n);
  offset += 4 * n;
  const faction = new Uint16Array(buffer, offset, n);
  return { start: header.start, days, regionIds: header.regions.map(String), factionIds: header.factions.map(String), dayStarts, region, faction };
}

/** The same columns as readCompactTimeline, from the events a small map's page carries. */
function columnsOfEvents(data, startDay, endDay) {
  const regionIds = [];
  const regionIndex = new Map();
  const factionIds = [];
  const factionIndex = new Map();
  const indexOf = (index, list, id) => {
    let i = index.get(id);
    if (i === undefined) {
      i = list.length;
      index.set(id, i);
      list.push(id);
    }
    return i;
  };
  for (const r of data.regions ?? []) indexOf(regionIndex, regionIds, String(r.id));
  const kept = [];
  for (const ev of data.events ?? []) {
    const day = epochDay(ev.date);
    // An event after the end never shows; one before the start is in force from it.
    if (Number.isFinite(day) && day <= endDay) kept.push({ day: Math.max(day - startDay, 0), ev });
  }
  // The server sorts by date, then recording order; the sort is stable, so re-sorting by
  // day only guards against a differently ordered feed and keeps "later in the array wins".
  kept.sort((a, b) => a.day - b.day);
  const days = endDay - startDay + 1;
  const n = kept.length;
  const dayStarts = new Uint32Array(days + 1);
  const region = new Uint32Array(n);
  const faction = new Uint16Array(n);
  const details = new Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const { day, ev } = kept[i];
    while (next <= day) dayStarts[next++] = i;
    region[i] = indexOf(regionIndex, regionIds, String(ev.region));
    faction[i] = indexOf(factionIndex, factionIds, String(ev.faction)) | (ev.confidence === 'claimed' ? CLAIMED_BIT : 0);
    details[i] = ev;
  }
  while (next <= days) dayStarts[next++] = n;
  return { regionIds, factionIds, dayStarts, region, faction, details };
}

/**
 * Index the map's events per region, once: from the events inline in the page's data, or
 * from a compact timeline (an ArrayBuffer) for maps with many events. An event is named by
 * its index, -1 meaning none (the initial faction since the start). `holding(id, day)`
 * returns the index of the event in force; `state(day)` the same shape as
 * GET /api/maps/{slug}/state.
 */
export function createTimeline(data, compact = null) {
  const startDay = epochDay(data.start);
  const endDay = epochDay(data.end);
  if (!Number.isFinite(startDay) || !Number.isFinite(endDay) || endDay < startDay) {
    throw new Error(`map data has an invalid date range ${data.start}..${data.end}`);
  }
  const initial = String(data.initial);
  const cols = compact ? readCompactTimeline(compact) : columnsOfEvents(data, startDay, endDay);
  if (compact && (epochDay(cols.start) !== startDay || cols.days !== endDay - startDay + 1)) {
    throw new Error(`the timeline covers ${cols.start} and ${cols.days} days, the map ${data.start}..${data.end}`);
  }
  const { dayStarts, region, faction } = cols;
  const details = cols.details ?? null;
  const n = region.length;
  const lastDayIndex = dayStarts.length - 2;

  // The counted regions are the page's list; events may name others (shapes without a row).
  const regionIds = [...new Set((data.regions ?? []).map((r) => String(r.id)))];
  const regionIndex = new Map(cols.regionIds.map((id, i) => [id, i]));

  // Each event's day index, and per region the indexes of its events in order (a counting
  // sort: the events are in order of day already).
  const eventDay = new Uint32Array(n);
  for (let d = 0; d <= lastDayIndex; d++) eventDay.fill(d, dayStarts[d], dayStarts[d + 1]);
  const regionStart = new Uint32Array(cols.regionIds.length + 1);
  for (let i = 0; i < n; i++) regionStart[region[i] + 1]++;
  for (let r = 0; r < cols.regionIds.length; r++) regionStart[r + 1] += regionStart[r];
  const regionEvents = new Uint32Array(n);
  // Each event's place in regionEvents: the event before it in its region's is the one in
  // force the day before it (forEachChange, backwards).
  const eventPlace = new Uint32Array(n);
  const fillAt = regionStart.slice(0, cols.regionIds.length);
  for (let i = 0; i < n; i++) {
    eventPlace[i] = fillAt[region[i]];
    regionEvents[fillAt[region[i]]++] = i;
  }
  // A mark per region, for forEachChange to visit each once without a Set a step.
  const seen = new Uint32Array(cols.regionIds.length);
  let visit = 0;

  /** The index of the event in force for region id on day (days since 1970), or -1. */
  function holding(id, day) {
    const r = regionIndex.get(id);
    if (r === undefined) return -1;
    const d = Math.min(day - startDay, lastDayIndex);
    let lo = regionStart[r];
    let hi = regionStart[r + 1];
    // The first event after d; the one before it is in force.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (eventDay[regionEvents[mid]] > d) hi = mid;
      else lo = mid + 1;
    }
    return lo === regionStart[r] ? -1 : regionEvents[lo - 1];
  }

  const factionOf = (i) => (i < 0 ? initial : cols.factionIds[faction[i] & ~CLAIMED_BIT]);
  const isClaimed = (i) => i >= 0 && (faction[i] & CLAIMED_BIT) !== 0;
  /** YYYY-MM-DD of the event (the map's start for -1). */
  const dateOf = (i) => (i < 0 ? data.start : (details?.[i]?.date ?? isoDate(startDay + eventDay[i])));
  /** The event's source and note when the page carries them, else null. */
  const detailsOf = (i) => (i < 0 || !details ? null : details[i]);

  /** First event index after day. */
  const firstAfter = (day) => dayStarts[Math.min(Math.max(day - startDay + 1, 0), lastDayIndex + 1)];

  /** How many events fall after the earlier of two days and on or before the later. */
  function eventsBetween(a, b) {
    return firstAfter(Math.max(a, b)) - firstAfter(Math.min(a, b));
  }

  /** The regions with an event after the earlier of two days and on or before the later:
   * the only ones whose holder can differ between them. */
  function changedBetween(a, b) {
    const ids = new Set();
    const end = firstAfter(Math.max(a, b));
    for (let i = firstAfter(Math.min(a, b)); i < end; i++) ids.add(cols.regionIds[region[i]]);
    return ids;
  }

  /**
   * Call fn(id, event) once for each region with an event after the earlier of days from
   * and to and on or before the later (changedBetween's regions), with the index of its
   * event in force on day to (-1: none), as holding(id, to) gives it. It reads only the
   * events in between, without a search per region: a step of the slider at a million
   * events costs what that step changes.
   */
  function forEachChange(from, to, fn) {
    const lo = firstAfter(Math.min(from, to));
    const hi = firstAfter(Math.max(from, to));
    if (lo >= hi) return;
    if (++visit === 0xffffffff) {
      seen.fill(0);
      visit = 1;
    }
    if (to > from) {
      // Forwards: a region's last event in between is the one in force on to.
      for (let i = hi - 1; i >= lo; i--) {
        const r = region[i];
        if (seen[r] === visit) continue;
        seen[r] = visit;
        fn(cols.regionIds[r], i);
      }
      return;
    }
    // Backwards: the event before a region's first one in between is in force on to.
    for (let i = lo; i < hi; i++) {
      const r = region[i];
      if (seen[r] === visit) continue;
      seen[r] = visit;
      const place = eventPlace[i];
      fn(cols.regionIds[r], place > regionStart[r] ? regionEvents[place - 1] : -1);
    }
  }

  /** Who holds region id on day: {faction, since (YYYY-MM-DD), claimed}. */
  function holder(id, day) {
    const i = holding(String(id), day);
    return { faction: factionOf(i), since: dateOf(i), claimed: isClaimed(i) };
  }

  /** How many events fall on each day index 0..days-1 (events before the start count on
   * day 0, where they take effect): what the slider's ticks weigh (model/ticks.js). */
  function dayCounts() {
    const counts = new Uint32Array(lastDayIndex + 1);
    for (let d = 0; d <= lastDayIndex; d++) counts[d] = dayStarts[d + 1] - dayStarts[d];
    return counts;
  }

  /** The indexes of the events effective on day (days since 1970), in recording order. */
  function eventsOn(day) {
    const d = day - startDay;
    if (d < 0 || d > lastDayIndex) return [];
    const out = [];
    for (let i = dayStarts[d]; i < dayStarts[d + 1]; i++) out.push(i);
    return out;
  }

  /** The id of the region or place event i is about. */
  const regionOf = (i) => cols.regionIds[region[i]];

  function state(day) {
    const regions = {};
    const counts = {};
    for (const f of data.factions ?? []) counts[f.id] = 0;
    for (const id of regionIds) {
      const f = factionOf(holding(id, day));
      regions[id] = f;
      counts[f] = (counts[f] ?? 0) + 1;
    }
    return { regions, counts };
  }

  return {
    startDay, endDay, initial, regionIds,
    holding, holder, factionOf, isClaimed, dateOf, detailsOf, state, eventsBetween, changedBetween, forEachChange,
    dayCounts, eventsOn, regionOf,
  };
}
