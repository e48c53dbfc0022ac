// The modules a page loads only when needed, behind objects it can call at once: the table
// of regions (not on the embed, which has none) and the popup (with the first click on a
// region), on Leaflet's map or the live inline map.

// A slice of the table's catching up: a few milliseconds, then the browser may draw a frame
// and take the reader's next step before the next slice.
const SLICE_MS = 8;

/**
 * The table of regions (and its date label), brought up to date once the slider rests; its
 * module is loaded only on a page that has one. markStale(id): a step changed id's holder;
 * hold(): the slider moves again, so the rows wait; flush(eventOf, label): the slider
 * rests, the stale rows follow (in slices of SLICE_MS, the page staying responsive at
 * thousands of rows) and the caption says label once all have. The table says aria-busy
 * while rows are behind the date shown.
 */
export function lazyTable(tableEl, dateEl, options, win = globalThis) {
  if (!tableEl && !dateEl) return { markStale() {}, hold() {}, flush() {} };
  const stale = new Set(); // rows behind the date shown
  const ready = import('./table.js').then((m) => m.createTable({ table: tableEl, tableDate: dateEl, ...options }));
  ready.catch((err) => console.warn('frontline: the table cannot follow the date', err));
  let run = 0; // the current catching up's number: a step or a newer flush ends the one before
  let timer = 0;

  function slice(t, n, eventOf, label) {
    timer = 0;
    if (n !== run) return;
    const until = win.performance.now() + SLICE_MS;
    let i = 0;
    for (const id of stale) {
      stale.delete(id);
      t.updateRow(id, eventOf(id));
      if (++i % 16 === 0 && win.performance.now() >= until) break;
    }
    if (stale.size > 0) {
      timer = win.setTimeout(() => slice(t, n, eventOf, label), 0);
      return;
    }
    t.showDate(label);
    tableEl?.removeAttribute('aria-busy');
  }

  return {
    markStale(id) {
      if (stale.size === 0) tableEl?.setAttribute('aria-busy', 'true');
      stale.add(id);
    },
    hold() {
      run++;
      win.clearTimeout(timer);
      timer = 0;
    },
    flush(eventOf, label) {
      const n = ++run;
      win.clearTimeout(timer);
      ready.then((t) => slice(t, n, eventOf, label), () => {});
    },
  };
}

/**
 * The popup of regions and places, its module (ui/popup.js) loaded at the first open with
 * options() (createPopup's). Returns {open(id, latlng), refresh(id)}; refresh does nothing
 * before the module has come.
 */
export function lazyPopup(options) {
  let popup = null;
  let loading = null;
  return {
    open(id, latlng) {
      loading ??= import('./popup.js').then((m) => (popup = m.createPopup(options())));
      loading.then((p) => p.open(id, latlng)).catch((err) => {
        loading = null;
        console.warn('frontline: the popup could not be loaded', err);
      });
    },
    refresh(id) {
      popup?.refresh(id);
    },
  };
}

/**
 * What a popup says (ui/popup.js's popupContents, for the live inline map's own box), its
 * module loaded at the first call with options(). Returns {content(id)}: a promise of the
 * element.
 */
export function lazyPopupContents(options) {
  let loading = null;
  return {
    content(id) {
      loading ??= import('./popup.js').then((m) => m.popupContents(options()));
      loading.catch(() => (loading = null));
      return loading.then((c) => c.content(id));
    },
  };
}
