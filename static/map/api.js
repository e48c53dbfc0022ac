// The methods a map offers its page (window.frontline, map.js): for tests, embedders
// (embed-api.js) and the change form. They call the map's controller, which map.js hands
// over as functions, so that they read its state as it is when called.

import { epochDay, isoDate } from '../model/dates.js';

/**
 * timeline() is null until a large map's compact timeline arrives; current() the day index
 * shown; setIndex(i) shows day index i; setPlaying(on) plays or pauses; select(id) outlines
 * a region; map() is Leaflet's map, null until it is made. Returns {api, resolveReady()}: call resolveReady once the map follows dates.
 */
export function createApi({ timeline, startDay, lastIndex, start, end, current, setIndex, setPlaying, select, map }) {
  function dayIndexOf(iso) {
    const day = epochDay(iso);
    if (!Number.isFinite(day)) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
    return day - startDay;
  }

  function ensureTimeline() {
    if (!timeline()) throw new Error('the map\'s timeline is still loading: wait for ready');
  }

  let resolveReady;
  const api = {
    /** Resolves once the map follows dates (a large map's timeline has arrived). */
    ready: new Promise((resolve) => (resolveReady = resolve)),
    /** Show the map at iso (YYYY-MM-DD, within start..end); returns the date shown. */
    setDate(iso) {
      ensureTimeline();
      const idx = dayIndexOf(iso);
      if (idx < 0 || idx > lastIndex) throw new RangeError(`${iso} is outside ${start}..${end}`);
      setPlaying(false);
      setIndex(idx);
      return isoDate(startDay + current());
    },
    /** {regions: {id: faction}, counts: {faction: n}} at iso (default: the date shown). */
    state(iso) {
      ensureTimeline();
      const day = iso === undefined ? startDay + current() : startDay + dayIndexOf(iso);
      return timeline().state(day);
    },
    /** Who holds region id at iso: {faction, since, claimed}, or null before ready. */
    holder(id, iso) {
      const day = epochDay(iso);
      const t = timeline();
      if (!t || !Number.isFinite(day)) return null;
      const ev = t.holding(String(id), day);
      return { faction: t.factionOf(ev), since: t.dateOf(ev), claimed: t.isClaimed(ev) };
    },
    /** Play (true) or pause (false) the dates, as the Play button does. */
    play(on) {
      ensureTimeline();
      setPlaying(Boolean(on));
    },
    select,
    /** Leaflet's map, or null while the live inline map shows (map/live.js). */
    get map() {
      return map();
    },
  };
  return { api, resolveReady: () => resolveReady() };
}

/** What window.frontline offers of a controller (init's): frozen, without the map. */
export function publicApi(controller) {
  return Object.freeze({
    setDate: (iso) => controller.setDate(iso),
    state: (iso) => controller.state(iso),
    holder: (id, iso) => controller.holder(id, iso),
    select: (id) => controller.select(id),
    play: (on) => controller.play(on),
    ready: controller.ready,
  });
}

/**
 * Say the first map is drawn (the live inline map follows the date, or Leaflet's drew): the
 * benchmark (go tool task bench) reads the mark, the embed page starts Pym on the event.
 * The map takes input from then on ('frontline:input'), unless the early script
 * (map/early.js) has said so already, from the first frame.
 */
export function markDrawn(win) {
  if (!win.performance?.getEntriesByName?.('frontline:input').length) win.performance?.mark?.('frontline:input');
  win.performance?.mark?.('frontline:drawn');
  win.document.dispatchEvent(new Event('frontline:drawn'));
}
