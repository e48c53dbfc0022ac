// What changed on the date shown (#changes, rendered by the server at the page's date): the
// slider's every step refills it in the same frame from the events the page carries
// (model/changes.js's rule), or, for a large map whose page carries none, from
// GET /api/maps/{slug}/events?date=D, asked for once the slider pauses and kept in a small
// cache. Rows are copies of the server's <template> row, so the words are the server's.

import { changesOfDay } from '../model/changes.js';
import { epochDay, isoDate } from '../model/dates.js';
import { linkAt } from '../model/links.js';

const CACHE_DAYS = 32;
const FETCH_DELAY_MS = 120;
// An embed narrower than this folds the list away (the reader opens it).
const NARROW_EMBED = '(max-width: 480px)';

/**
 * The list in box (#changes), or a no-op without one. timeline() is the map's; nameOf(id)
 * a region's or place's name, historyOf(id) its page; factions the page's (map/paint.js);
 * settings the page data's `changes` ({max, url}). Returns {show(day, label)}.
 */
export function createChanges({ box, win, timeline, nameOf, historyOf, factions, settings }) {
  if (!box) return { show() {} };
  const list = box.querySelector('.changes-list');
  const none = box.querySelector('.changes-none');
  const more = box.querySelector('.changes-more');
  const moreCount = box.querySelector('.changes-more-count');
  const dateEl = box.querySelector('.changes-date');
  const row = box.querySelector('template.change-template')?.content.firstElementChild;
  const max = Number.isInteger(settings?.max) ? settings.max : 40;
  const url = typeof settings?.url === 'string' ? settings.url : '';
  if (box.tagName === 'DETAILS' && win.matchMedia?.(NARROW_EMBED).matches) box.open = false;

  const cache = new Map(); // iso -> events, the oldest first out
  let shownDay = epochDay(box.dataset.date); // the server's list is of this day
  let fetchTimer = 0;

  function show(day, label) {
    if (day === shownDay) return;
    shownDay = day;
    const iso = isoDate(day);
    box.dataset.date = iso;
    if (dateEl) dateEl.textContent = label;
    if (!url) {
      const t = timeline();
      fill(day, t.eventsOn(day).map((i) => eventOf(t, i)));
      return;
    }
    win.clearTimeout(fetchTimer); // another day's, no longer wanted
    const events = cache.get(iso);
    if (events) {
      box.removeAttribute('aria-busy');
      fill(day, events);
      return;
    }
    // Until the day's events arrive the list says nothing rather than another day's.
    box.setAttribute('aria-busy', 'true');
    fill(day, [], true);
    fetchTimer = win.setTimeout(() => load(day, iso), FETCH_DELAY_MS);
  }

  async function load(day, iso) {
    try {
      const res = await fetch(linkAt(url, iso), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`GET ${linkAt(url, iso)}: HTTP ${res.status}`);
      const events = await res.json();
      cache.set(iso, events);
      if (cache.size > CACHE_DAYS) cache.delete(cache.keys().next().value);
      if (shownDay === day) fill(day, events);
    } catch (err) {
      console.warn('frontline: what changed could not be loaded', err);
    } finally {
      if (shownDay === day) box.removeAttribute('aria-busy');
    }
  }

  // The page's own events, as the API gives them.
  function eventOf(t, i) {
    const d = t.detailsOf(i);
    return { region: t.regionOf(i), faction: t.factionOf(i), confidence: t.isClaimed(i) ? 'claimed' : 'confirmed', source: d?.source, note: d?.note };
  }

  function fill(day, events, loading = false) {
    const t = timeline();
    const { items, more: rest } = changesOfDay(events, (id) => t.factionOf(t.holding(id, day - 1)), max);
    if (items.length === 0 && list.childElementCount === 0) {
      // Nothing then, nothing now: no work on the many quiet days.
    } else {
      list.replaceChildren(...items.map(rowOf));
    }
    if (none) none.hidden = items.length > 0 || loading;
    if (more) more.hidden = rest === 0;
    if (moreCount) moreCount.textContent = String(rest);
  }

  function rowOf(item) {
    const li = row.cloneNode(true);
    li.dataset.region = item.id;
    const name = li.querySelector('.change-name');
    name.textContent = nameOf(item.id);
    const href = historyOf(item.id);
    if (href) name.setAttribute('href', href);
    else name.removeAttribute('href');
    holder(li.querySelector('.change-from'), item.from);
    holder(li.querySelector('.change-to'), item.to);
    li.querySelector('.change-claimed').hidden = !item.claimed;
    li.querySelector('.change-confirmed').hidden = item.claimed;
    const source = li.querySelector('.change-source');
    if (item.source) source.setAttribute('href', item.source);
    else source.remove();
    li.querySelector('.change-note').textContent = item.note;
    return li;
  }

  function holder(el, faction) {
    el.dataset.faction = faction;
    el.querySelector('.swatch').style.backgroundColor = factions.colorOf(faction);
    el.querySelector('.faction-name').textContent = factions.nameOf(faction);
  }

  return { show };
}
