// What follows the date: a step restyles the map, the legend's counts and the date label at
// once. The summary sentence, the what-changed list (onSettle), the date field, the share link
// and the title follow in the same frame for a step taken on its own (play, a key, a button)
// and, during a drag of the slider, once the slider rests SETTLE_DELAY_MS: while a drag moves
// a day a frame, nobody reads them, and the list's rows in sight were 0.75 ms of each frame
// of the 395 counties' drag, a fifth of its main thread's CPU (docs/benchmarks.md,
// session 14). Deferring every step alike was what put the big date
// label one step ahead of everything else during play. The table of regions follows only once
// the slider rests, whatever moved it (TABLE_REST_MS without a step, or a drag's settling):
// at thousands of rows a step changes thousands of its cells, and writing and laying them
// out at every step of a play or a scrub was nine tenths of the reader's page's step. The
// address bar follows once the slider rests too (URL_REST_MS, and no more often than browsers
// allow, URL_MIN_GAP_MS): history.replaceState costs 1 to 6 ms a call on a reader's page
// (Chromium revisits the page's hundreds of links when its URL changes), which a step of
// play or of the arrow keys paid in its frame. The share link and the history pages' links
// ("Back to the map") are the page's own and follow every step.

import { linkAt } from '../model/links.js';
import { setAttr, setText } from './dom.js';

// Safari refuses more than 100 history changes in 30 seconds; play at 1x steps every 350 ms.
const URL_MIN_GAP_MS = 300;
const SETTLE_DELAY_MS = 150;
// A play at 1x steps every 350 ms, at 4x every 87: the table and the address bar follow each
// step of the first, and the last of the second.
const TABLE_REST_MS = 150;
const URL_REST_MS = TABLE_REST_MS;

/**
 * The page's follower. els: input, share (each optional); table and legend are the page's
 * (ui/lazy.js's lazyTable, ui/legend.js); eventOf(id) the event in force; initialLabel the server's label
 * of the first date, found in the title; compareOf() the compared date ('' for none), which the
 * share link and the URL carry; onSettle(iso, label) runs once the slider rests. Returns
 * {step(iso, label, {settled, drag}), cancelUrl()}.
 */
export function createSettler({
  doc, win, els, data, initialLabel, table, legend, eventOf, updateHistory, updateTitle,
  compareOf = () => '', onSettle = () => {},
}) {
  let settleTimer = 0;
  let settleDate = null;
  let tableTimer = 0;
  let urlTimer = 0;

  // Title: replace the server's date label in place when it has one, so the
  // server decides the wording ("{title} — 14 August 2021 — Frontline").
  const initialTitle = doc.title;
  const titleParts = initialLabel && initialTitle.includes(initialLabel) ? initialTitle.split(initialLabel) : null;
  // Written into the <title>'s text node (ui/dom.js's setText), not through document.title,
  // which puts a new text node in its place: in Chromium that made each step of the reader's
  // page cost about a millisecond more, in the call and in the style and layout after it
  // (docs/benchmarks.md, session 8).
  const titleEl = doc.querySelector?.('head > title') ?? null;

  /** The date shown is iso now; the rest of the page follows at once, or once a drag
   * (drag: a step of one) rests, unless it shows iso already (settled). */
  function step(iso, label, { settled = false, drag = false } = {}) {
    if (settled) return; // the URL says so too
    table.hold();
    win.clearTimeout(tableTimer);
    if (updateHistory) scheduleUrlUpdate(iso);
    if (drag) {
      scheduleSettle(iso, label);
      return;
    }
    win.clearTimeout(settleTimer);
    settleDate = { iso, label };
    settle();
    tableTimer = win.setTimeout(() => table.flush(eventOf, label), TABLE_REST_MS);
  }

  // The rest of the page follows SETTLE_DELAY_MS after the last step.
  function scheduleSettle(iso, label) {
    settleDate = { iso, label };
    win.clearTimeout(settleTimer);
    settleTimer = win.setTimeout(() => {
      settle();
      table.flush(eventOf, label); // the drag has rested
    }, SETTLE_DELAY_MS);
  }

  function settle() {
    const { iso, label } = settleDate;
    legend.updateSummary(label, iso);
    if (els.input && els.input.value !== iso) els.input.value = iso;
    // The server's template (web/links.go); a static export has none and keeps its link.
    if (els.share && data.links) setAttr(els.share, 'href', linkAt(data.links.page, iso, compareOf()));
    onSettle(iso, label);
    if (updateTitle) {
      const title = titleParts ? titleParts.join(label) : `${initialTitle || data.title} (${label})`;
      if (titleEl) setText(titleEl, title);
      else doc.title = title;
    }
  }

  // Written once the slider rests (URL_REST_MS without a step), never in a step's own task:
  // browsers throttle (Safari: throw on) floods of replaceState too, so at most one every
  // URL_MIN_GAP_MS, the last of a burst included.
  let lastUrlWrite = -Infinity;
  function scheduleUrlUpdate(iso) {
    win.clearTimeout(urlTimer);
    const wait = Math.max(URL_REST_MS, lastUrlWrite + URL_MIN_GAP_MS - win.performance.now());
    urlTimer = win.setTimeout(() => writeUrl(iso), wait);
  }

  function writeUrl(iso) {
    try {
      const url = new URL(win.location.href);
      const compare = compareOf();
      if (url.searchParams.get('date') === iso && (url.searchParams.get('compare') ?? '') === compare) return;
      lastUrlWrite = win.performance.now();
      url.searchParams.set('date', iso);
      if (compare) url.searchParams.set('compare', compare);
      else url.searchParams.delete('compare');
      win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    } catch {
      // Sandboxed iframes and file: pages may refuse; the share link still works.
    }
  }

  /** The URL already says where we are (the first date shown). */
  function cancelUrl() {
    win.clearTimeout(urlTimer);
  }

  return { step, cancelUrl };
}
