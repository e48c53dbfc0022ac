// The modules a page loads only when needed, behind objects it can call at once: the table
// of regions (not on the embed, which has none) and the popup (with the first click on a
// region), on Leaflet's map or the live inline map.

/**
 * The table of regions (and its date label), brought up to date once the slider rests; its
 * module is loaded only on a page that has one. markStale(id): a step changed id's holder;
 * hold(): the slider moves again, so the rows wait; flush(eventOf, label): the slider
 * rests, and the stale rows and the caption follow, all in one task: whatever number of
 * its rows changed, a table of thousands of rows costs tens of milliseconds to lay out
 * again at 5,000 regions, so it is written once, for one layout, rather than in slices
 * with a layout each. The table says aria-busy while its rows are behind the date shown.
 */
export function lazyTable(tableEl, dateEl, options) {
  if (!tableEl && !dateEl) return { markStale() {}, hold() {}, flush() {} };
  const stale = new Set(); // rows behind the date shown
  const ready = import('./table.js').then((m) => m.createTable({ table: tableEl, tableDate: dateEl, ...options }));
  ready.catch((err) => console.warn('frontline: the table cannot follow the date', err));
  let run = 0; // the number of the latest flush or step: a step cancels a flush not yet run

  return {
    markStale(id) {
      if (stale.size === 0) tableEl?.setAttribute('aria-busy', 'true');
      stale.add(id);
    },
    hold() {
      run++;
    },
    flush(eventOf, label) {
      const n = ++run;
      ready.then((t) => {
        if (n !== run) return;
        for (const id of stale) t.updateRow(id, eventOf(id));
        stale.clear();
        t.showDate(label);
        tableEl?.removeAttribute('aria-busy');
      }, () => {});
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
