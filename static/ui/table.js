// The table of regions: each row's holder, since and source, brought up to the date shown
// once the slider rests (ui/lazy.js's lazyTable decides when, and in slices of a frame's
// time). Rows are written only where a value changed.

import { el, paintSwatch, safeHttpUrl, setAttr, setHidden, setText } from './dom.js';

/**
 * The rows of table (tbody tr[data-region]) and the .table-date label. timeline() is the
 * map's timeline; historyOf(id), when given, the address of a region's or place's history
 * ('' for none). Returns {updateRow(id, ev), showDate(label)}.
 */
export function createTable({ table, tableDate, timeline, nameOf, colorOf, regionBase, historyOf }) {
  const rows = new Map();
  if (table) {
    for (const tr of table.querySelectorAll('tbody tr[data-region]')) {
      rows.set(tr.getAttribute('data-region'), tr);
    }
  }
  // Each row's cells, found at its first update: a scrub of a large map updates thousands
  // of rows, and five selector queries a row were most of the script's time.
  const cellsOf = new Map();

  function cells(id) {
    let c = cellsOf.get(id);
    if (c) return c;
    const tr = rows.get(id);
    if (!tr) return null;
    const holder = tr.querySelector('.holder');
    const since = tr.querySelector('.since');
    c = {
      holder,
      swatch: holder?.querySelector('.swatch') ?? null,
      name: holder?.querySelector('.holder-name') ?? null,
      mark: holder?.querySelector('.claim-mark') ?? null,
      since,
      time: since?.querySelector('time') ?? null,
      source: tr.querySelector('.source'),
      link: tr.querySelector('.source a'),
    };
    if (holder && !c.name) {
      // Unexpected markup: rebuild the cell in the agreed shape.
      holder.replaceChildren();
      c.swatch = el('span', 'swatch');
      c.name = el('span', 'holder-name');
      c.mark = null;
      holder.append(c.swatch, ' ', c.name);
    }
    cellsOf.set(id, c);
    return c;
  }

  /** Bring the row of id to event ev (-1: the initial holding). */
  function updateRow(id, ev) {
    const c = cells(id);
    if (!c) return;
    const tl = timeline();
    const f = tl.factionOf(ev);
    const claimed = tl.isClaimed(ev);

    if (c.holder) {
      setAttr(c.holder, 'data-faction', f);
      if (c.swatch) paintSwatch(c.swatch, f, colorOf);
      setText(c.name, nameOf(f));
      if (claimed && !c.mark) {
        c.mark = el('span', 'claim-mark', '(claimed)');
        c.name.after(' ', c.mark);
      }
      setHidden(c.mark, !claimed);
    }

    if (c.since) {
      const iso = tl.dateOf(ev);
      if (c.time) {
        setAttr(c.time, 'datetime', iso);
        setText(c.time, iso);
      } else {
        setText(c.since, iso);
      }
    }

    if (c.source) {
      // A large map's page has no sources (see createTimeline): the row links to the
      // region's history, which lists them.
      const details = tl.detailsOf(ev);
      let href = details ? safeHttpUrl(details.source) : null;
      let text = 'source';
      if (!details && ev >= 0) {
        const history = historyOf ? historyOf(id) : regionBase ? regionBase + encodeURIComponent(id) : '';
        if (history) {
          href = history;
          text = 'history';
        }
      }
      if (href && !c.link) {
        c.link = el('a', null, text);
        c.link.rel = 'noopener';
        c.source.append(c.link);
      }
      if (c.link) {
        if (href) setAttr(c.link, 'href', href);
        else c.link.removeAttribute('href');
        setText(c.link, text);
        setHidden(c.link, !href);
      }
    }
  }

  /** The table's caption says which date its rows show. */
  function showDate(label) {
    setText(tableDate, label);
  }

  return { updateRow, showDate };
}
