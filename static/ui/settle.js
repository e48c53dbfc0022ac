// What follows the date once the slider rests: a slider step restyles the map, the legend's
// counts and the date label at once; the rest of the page (the table of regions, the summary
// sentence, the date field, the share link, the title) follows once the slider rests
// SETTLE_DELAY_MS, and the address bar URL_UPDATE_DELAY_MS after the last step.

import { linkAt } from '../model/links.js';

const URL_UPDATE_DELAY_MS = 300;
// The table alone is laid out whole whenever one of its cells changes: tens of milliseconds
// at thousands of rows, too much for every step of a drag.
const SETTLE_DELAY_MS = 150;

/**
 * The page's follower. els: input, share (each optional); table and legend are the page's
 * (ui/table.js, ui/legend.js); eventOf(id) the event in force; initialLabel the server's label
 * of the first date, found in the title; compareOf() the compared date ('' for none), which the
 * share link and the URL carry; onSettle(iso) runs once the slider rests. Returns
 * {step(iso, label, {settled}), cancelUrl()}.
 */
export function createSettler({
  doc, win, els, data, initialLabel, table, legend, eventOf, updateHistory, updateTitle,
  compareOf = () => '', onSettle = () => {},
}) {
  let settleTimer = 0;
  let settleDate = null;
  let urlTimer = 0;

  // Title: replace the server's date label in place when it has one, so the
  // server decides the wording ("{title} — 14 August 2021 — Frontline").
  const initialTitle = doc.title;
  const titleParts = initialLabel && initialTitle.includes(initialLabel) ? initialTitle.split(initialLabel) : null;

  /** The date shown is iso now; the rest of the page follows later unless it shows iso already. */
  function step(iso, label, { settled = false } = {}) {
    if (updateHistory) scheduleUrlUpdate(iso);
    if (!settled) scheduleSettle(iso, label);
  }

  // The rest of the page follows SETTLE_DELAY_MS after the last step.
  function scheduleSettle(iso, label) {
    settleDate = { iso, label };
    win.clearTimeout(settleTimer);
    settleTimer = win.setTimeout(settle, SETTLE_DELAY_MS);
  }

  function settle() {
    const { iso, label } = settleDate;
    table.flush(eventOf, label);
    legend.updateSummary(label);
    if (els.input && els.input.value !== iso) els.input.value = iso;
    // The server's template (web/links.go); a static export has none and keeps its link.
    if (els.share && data.links) els.share.setAttribute('href', linkAt(data.links.page, iso, compareOf()));
    onSettle(iso);
    if (updateTitle) {
      doc.title = titleParts ? titleParts.join(label) : `${initialTitle || data.title} (${label})`;
    }
  }

  // Browsers throttle (Safari: throw on) floods of replaceState, and a drag
  // fires dozens of input events a second, so only the settled date is written.
  function scheduleUrlUpdate(iso) {
    win.clearTimeout(urlTimer);
    urlTimer = win.setTimeout(() => {
      try {
        const url = new URL(win.location.href);
        const compare = compareOf();
        if (url.searchParams.get('date') === iso && (url.searchParams.get('compare') ?? '') === compare) return;
        url.searchParams.set('date', iso);
        if (compare) url.searchParams.set('compare', compare);
        else url.searchParams.delete('compare');
        win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
      } catch {
        // Sandboxed iframes and file: pages may refuse; the share link still works.
      }
    }, URL_UPDATE_DELAY_MS);
  }

  /** The URL already says where we are (the first date shown). */
  function cancelUrl() {
    win.clearTimeout(urlTimer);
  }

  return { step, cancelUrl };
}
