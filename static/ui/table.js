// The table of regions: each row's holder, since and source, brought up to the date shown
// once the slider rests (laying out a table of thousands of rows on every step of a drag
// costs tens of milliseconds).

import { el, paintSwatch, safeHttpUrl, setAttr, setHidden, setText } from './dom.js';

/**
 * The rows of table (tbody tr[data-region]) and the .table-date label. timeline() is the
 * map's timeline; historyOf(id), when given, the address of a region's or place's history
 * ('' for none). Returns {update(ids, eventOf, label)}.
 */
export function createTable({ table, tableDate, timeline, nameOf, colorOf, regionBase, historyOf }) {
  const rows = new Map();
  if (table) {
    for (const tr of table.querySelectorAll('tbody tr[data-region]')) {
      rows.set(tr.getAttribute('data-region'), tr);
    }
  }

  /** Bring the rows of ids to the events eventOf(id) says, and the table's date to label. */
  function update(ids, eventOf, label) {
    for (const id of ids) updateRow(id, eventOf(id));
    setText(tableDate, label);
  }

  function updateRow(id, ev) {
    const tr = rows.get(id);
    if (!tr) return;
    const tl = timeline();
    const f = tl.factionOf(ev);
    const claimed = tl.isClaimed(ev);

    const holder = tr.querySelector('.holder');
    if (holder) {
      setAttr(holder, 'data-faction', f);
      let swatch = holder.querySelector('.swatch');
      let name = holder.querySelector('.holder-name');
      if (!name) {
        // Unexpected markup: rebuild the cell in the agreed shape.
        holder.replaceChildren();
        swatch = el('span', 'swatch');
        name = el('span', 'holder-name');
        holder.append(swatch, ' ', name);
      }
      if (swatch) paintSwatch(swatch, f, colorOf);
      setText(name, nameOf(f));
      let mark = holder.querySelector('.claim-mark');
      if (claimed && !mark) {
        mark = el('span', 'claim-mark', '(claimed)');
        name.after(' ', mark);
      }
      setHidden(mark, !claimed);
    }

    const since = tr.querySelector('.since');
    if (since) {
      const iso = tl.dateOf(ev);
      const time = since.querySelector('time');
      if (time) {
        setAttr(time, 'datetime', iso);
        setText(time, iso);
      } else {
        setText(since, iso);
      }
    }

    const source = tr.querySelector('.source');
    if (source) {
      // A large map's page has no sources (see createTimeline): the row links to the
      // region's history, which lists them.
      const details = tl.detailsOf(ev);
      let href = details ? safeHttpUrl(details.source) : null;
      let text = 'source';
      const history = historyOf ? historyOf(id) : regionBase ? regionBase + encodeURIComponent(id) : '';
      if (!details && ev >= 0 && history) {
        href = history;
        text = 'history';
      }
      let link = source.querySelector('a');
      if (href && !link) {
        link = el('a', null, text);
        link.rel = 'noopener';
        source.append(link);
      }
      if (link) {
        if (href) setAttr(link, 'href', href);
        else link.removeAttribute('href');
        setText(link, text);
        setHidden(link, !href);
      }
    }
  }

  return { update };
}
