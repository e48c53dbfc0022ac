// What changed on the date shown (#changes, rendered by the server at the page's date): the
// slider's every step refills it in the same frame (the rows in the list's box; those below
// it right after, see STEP_ROWS) from the events the page carries
// (model/changes.js's rule), or, for a large map whose page carries none, from
// GET /api/maps/{slug}/events?date=D, asked for once the slider pauses and kept in a small
// cache. Rows are copies of the server's <template> row, so the words are the server's.

import { changesOfDay } from '../model/changes.js';
import { epochDay, isoDate } from '../model/dates.js';
import { linkAt } from '../model/links.js';
import { setHidden, setText } from './dom.js';

const CACHE_DAYS = 32;
const UNKNOWN = Symbol('unknown'); // a row's part not written yet
const FETCH_DELAY_MS = 120;
// An embed narrower than this folds the list away (the reader opens it).
const NARROW_EMBED = '(max-width: 480px)';
// The list's box (map.css: 18rem high) shows no more rows than this at any width: a row is
// at least a line of 0.9rem type at 1.5 and 0.6rem of padding, 1.95rem. A step fills at once
// these, or fewer when fewer may be in sight (see SIGHT_MARGIN_PX), and the rows below them,
// which the reader sees only on scrolling the list or the page, once its frame is drawn: at a
// few hundred regions a day's list is tens of rows, and filling them all was most of a step;
// filling the three in sight of the bench's 395-county embed rather than ten was a tenth of a
// millisecond less a step (docs/benchmarks.md, session 15). A list the reader has scrolled is
// filled whole.
const STEP_ROWS = 10;
// Of those, a step lays out only the rows that may be in sight: the list's box is often
// partly or wholly below the fold (a phone's page, or an embed 900 px high, shows two rows of
// it or none), and each row laid out cost the 400-region map's step about 0.15 ms. The rows
// further down are filled in the step as before, so that the DOM agrees with the slider at
// every frame, but skipped by layout and paint (`content-visibility: hidden`, map.css's
// .changes-later) until the slider has rested LATER_REST_MS (a play at 0.5x steps every
// 700 ms: it keeps them skipped), or they come into sight. Which rows may be in sight is
// worked out from the part of the box an IntersectionObserver last saw (no layout forced),
// SIGHT_MARGIN_PX more, and the least a row can be high (its line height, padding and
// border): row i starts at least i such heights down. Rows are skipped only while the fold
// cuts the box's foot or the box is wholly below it. The margin is for what moves the box
// without a scroll between two of the observer's reports: a line of the page above it
// wrapping anew at a step (the legend's counts, the list's date). A scroll or a resize of the
// page lays every row out before its frame (their events come before it) until the observer
// has seen the box again: the 395 counties' scrub laid out four rows a frame at the bench's
// size with a margin of 48 px, of which two were on screen (docs/benchmarks.md, session 12).
const SIGHT_MARGIN_PX = 24;
const SIGHT_STEPS = 20; // the observer reports every 5% of the box coming into sight
const LATER_REST_MS = 750;

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

  // How many of the list's first rows may be in sight (see SIGHT_MARGIN_PX): all, until the
  // observer has seen the box.
  let inSight = Infinity;
  let rowMin = 0;
  let later = Infinity; // rows from this one on are laid out later (.changes-later)
  if (typeof win.IntersectionObserver === 'function') {
    const seen = new win.IntersectionObserver((entries) => {
      const { isIntersecting, intersectionRect: shown, boundingClientRect: box, rootBounds } = entries[entries.length - 1];
      if (!isIntersecting) {
        // Below the fold, rows are out of sight; above it, a box that grows could come down
        // into sight between two of the observer's reports.
        inSight = rootBounds && box.top >= rootBounds.bottom ? 0 : Infinity;
      } else if (shown.top > box.top + 0.5 || shown.bottom >= box.bottom - 0.5) {
        // Only a box whose foot the fold cuts keeps every change of the part in sight
        // reported (and grows out of sight): anything else may show any row next frame.
        inSight = Infinity;
      } else {
        rowMin ||= leastRowHeight(list, win);
        inSight = rowMin > 0 ? Math.ceil((shown.bottom - box.top) / rowMin) : Infinity;
      }
      if (inSight > later) {
        finish(); // rows coming into sight are filled and laid out now
        layOutLater(inSight);
      }
    }, {
      root: list.ownerDocument, // the page's own viewport, the embed's frame's in an iframe
      rootMargin: `${SIGHT_MARGIN_PX}px 0px`,
      threshold: Array.from({ length: SIGHT_STEPS + 1 }, (_, i) => i / SIGHT_STEPS),
    });
    seen.observe(list);
    // The box may have moved past what the observer saw: every row is laid out now, and the
    // observer, asked afresh, reports where the box is at the next frame.
    const moved = () => {
      if (inSight === Infinity) return;
      inSight = Infinity;
      finish();
      if (later < Infinity) layOutLater(Infinity);
      seen.unobserve(list);
      seen.observe(list);
    };
    win.addEventListener('scroll', moved, { capture: true, passive: true });
    win.addEventListener('resize', moved, { passive: true });
  }

  // The rows a step fills in its frame (see STEP_ROWS).
  const stepRows = () => Math.min(STEP_ROWS, inSight);

  const cache = new Map(); // iso -> events, the oldest first out
  let shownDay = epochDay(box.dataset.date); // the server's list is of this day
  let fetchTimer = 0;

  function show(day, label) {
    if (day === shownDay) return;
    shownDay = day;
    const iso = isoDate(day);
    box.dataset.date = iso;
    setText(dateEl, label);
    if (!url) {
      const t = timeline();
      fill(day, t.eventsOn(day).map((i) => eventOf(t, i)), { now: stepRows() });
      return;
    }
    win.clearTimeout(fetchTimer); // another day's, no longer wanted
    const events = cache.get(iso);
    if (events) {
      box.removeAttribute('aria-busy');
      fill(day, events, { now: stepRows() });
      return;
    }
    // Until the day's events arrive the list says nothing rather than another day's.
    box.setAttribute('aria-busy', 'true');
    fill(day, [], { loading: true, now: stepRows() });
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

  // The rows made so far, reused from day to day: a step rewrites only the text that differs
  // and hides the rows it does not need, rather than building the list anew.
  const pool = [];
  let serverRows = true; // the server's rows, until the first fill replaces them
  let scrolled = false; // the reader has scrolled the list: every row may be in sight
  list.addEventListener('scroll', () => {
    scrolled = list.scrollTop > 0;
    if (!scrolled) return;
    finish();
    layOutLater(Infinity);
  }, { passive: true });
  // Until the rows past `now` are filled: the day's events, the holders before, and the
  // first row not filled.
  let rest = null;
  let restFrame = 0;
  let restTimer = 0;
  let laterTimer = 0;

  // Fill the rows with the day's items: the first `now` at once, the others once the frame
  // is drawn (see STEP_ROWS); of the first, those out of sight are laid out then too. `now`
  // may be 0 (the box is below the fold): the heading and the count follow at once.
  function fill(day, events, { loading = false, now = Infinity } = {}) {
    const t = timeline();
    const before = (id) => t.factionOf(t.holding(id, day - 1));
    const upTo = scrolled ? Infinity : now;
    // The rows filled now are worked out now; the others' items with them, after the frame.
    const { items, more: count } = changesOfDay(events, before, max, upTo);
    if (serverRows) {
      list.replaceChildren();
      serverRows = false;
    }
    win.cancelAnimationFrame?.(restFrame);
    win.clearTimeout(restTimer);
    syncRows(items, 0, upTo);
    rest = upTo < Math.max(events.length - count, pool.length) ? { events, before, from: upTo } : null;
    if (rest) restFrame = win.requestAnimationFrame(() => (restTimer = win.setTimeout(finish, 0)));
    win.clearTimeout(laterTimer);
    if (upTo === Infinity) layOutLater(Infinity);
    else {
      layOutLater(Math.min(inSight, upTo));
      laterTimer = win.setTimeout(() => layOutLater(Infinity), LATER_REST_MS);
    }
    setHidden(none, events.length > 0 || loading); // the day's first rows may be filled later
    setHidden(more, count === 0);
    setText(moreCount, count);
  }

  function finish() {
    if (!rest) return;
    const { events, before, from } = rest;
    rest = null;
    win.cancelAnimationFrame?.(restFrame);
    win.clearTimeout(restTimer);
    syncRows(changesOfDay(events, before, max).items, from, Infinity);
  }

  // Rows from `from` on are skipped by layout and paint until this is called again with a
  // later row (Infinity: none).
  function layOutLater(from) {
    const was = later;
    later = from;
    for (let i = Math.min(was, from); i < Math.min(Math.max(was, from), pool.length); i++) {
      pool[i].li.classList.toggle('changes-later', i >= from);
    }
  }

  // Rows from..to (exclusive) show items' from..to; rows past the items are hidden.
  function syncRows(items, from, to) {
    for (let i = from; i < Math.min(to, items.length); i++) {
      if (i === pool.length) pool.push(makeRow());
      paintRow(pool[i], items[i]);
    }
    for (let i = Math.max(from, items.length); i < Math.min(to, pool.length); i++) {
      const r = pool[i];
      if (r.shown.hidden) continue;
      r.li.hidden = true;
      r.li.removeAttribute('data-region');
      r.shown = { ...r.shown, hidden: true, id: UNKNOWN };
    }
  }

  function makeRow() {
    const li = row.cloneNode(true);
    if (pool.length >= later) li.classList.add('changes-later');
    list.append(li);
    const q = (sel) => li.querySelector(sel);
    const side = (sel) => ({ el: q(sel), swatch: q(`${sel} .swatch`), name: q(`${sel} .faction-name`), faction: UNKNOWN });
    return {
      li, name: q('.change-name'), was: q('.change-was'), from: side('.change-from'), to: side('.change-to'),
      claimed: q('.change-claimed'), confirmed: q('.change-confirmed'), source: q('.change-source'), note: q('.change-note'),
      // What the row shows, as last written: the template's, which is none of the items'.
      shown: { hidden: false, id: UNKNOWN, href: UNKNOWN, same: UNKNOWN, claimed: UNKNOWN, source: UNKNOWN, note: UNKNOWN },
    };
  }

  // Each write only where the value changed: the rows are reused, and most of a row is
  // often as the row before left it (the holders, the confidence). What a row shows is
  // kept here rather than read back from the DOM, which costs more than the comparison.
  function paintRow(r, item) {
    const was = r.shown;
    if (was.hidden) r.li.hidden = false;
    if (was.id !== item.id) {
      r.li.dataset.region = item.id;
      setText(r.name, nameOf(item.id));
    }
    const href = historyOf(item.id); // its ?date= follows the slider
    if (was.href !== href) writeAttr(r.name, 'href', href);
    // The holder before shows unless it holds still (web/map_changes.templ says why).
    const same = item.from === item.to;
    if (was.same !== same) r.was.hidden = same;
    if (!same) holder(r.from, item.from);
    holder(r.to, item.to);
    const claimed = !!item.claimed;
    if (was.claimed !== claimed) {
      r.claimed.hidden = !claimed;
      r.confirmed.hidden = claimed;
    }
    if (was.source !== item.source) {
      writeAttr(r.source, 'href', item.source);
      r.source.hidden = !item.source;
    }
    if (was.note !== item.note) setText(r.note, item.note);
    r.shown = { hidden: false, id: item.id, href, same, claimed, source: item.source, note: item.note };
  }

  function holder(side, faction) {
    if (side.faction === faction) return;
    side.faction = faction;
    side.el.dataset.faction = faction;
    side.swatch.style.backgroundColor = factions.colorOf(faction);
    setText(side.name, factions.nameOf(faction));
  }

  return { show };
}

// The least a row of list can be high: a line, its padding and its border (CSS px).
function leastRowHeight(list, win) {
  const row = list.querySelector(':scope > li') ?? list;
  const style = win.getComputedStyle(row);
  const px = (v) => Number.parseFloat(v) || 0;
  // A line box is at least the line height; `normal` is more than the font's size.
  const line = px(style.lineHeight) || px(style.fontSize);
  return line + px(style.paddingTop) + px(style.paddingBottom) + px(style.borderTopWidth) + px(style.borderBottomWidth);
}

// An empty value takes the attribute away: a name with no history page is not a link. The
// row's record of what it shows says when to write, so the DOM is not read back.
function writeAttr(el, name, value) {
  if (!value) el.removeAttribute(name);
  else el.setAttribute(name, value);
}
