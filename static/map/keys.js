// The map's regions and places for the keyboard: a toolbar (in a Leaflet control, or in the
// live inline map's box) of one button per region and place, with a roving tabindex (one
// Tab stop; the arrow keys, Home and End move among them; Enter or Space opens the popup, as a click on the shape does,
// and Escape closes it).
// Buttons rather than focusable SVG paths, so a canvas map (one <canvas> for every region)
// is reachable the same way. The buttons are visually hidden but the focused one, which
// shows as a label at the map's corner; each is named for its holder at the date shown
// (model/summary.js), written when it takes the focus and when the date changes. Nothing
// here touches the DOM until createMapKeys or keyBar runs, so node --test reads rovingIndex.

import { holdingName } from '../model/summary.js';

// How many keys are made in one task (see keyBar).
const KEYS_PER_TASK = 400;

/**
 * Keys for items ([{id, name, kind, latlng()}]: regions, then places) on a Leaflet map, as a
 * control at its bottom left (keyBar). describe(id) -> {faction (its name), claimed, since
 * (a date label)}; onOpen(id, latlng) opens a popup; label names the toolbar, in the page's
 * language (the page data's words.keys). Returns {refresh()}, to call when the date shown
 * changes, and focus(id) (keyBar's).
 */
export function createMapKeys(L, map, { items, describe, onOpen, label }) {
  let keys = null;
  const Keys = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd() {
      keys = keyBar(map.getContainer().ownerDocument, {
        items, describe, label, onEscape: () => map.closePopup(), onOpen: (item) => onOpen(item.id, item.latlng()),
      });
      L.DomEvent.disableClickPropagation(keys.bar);
      return keys.bar;
    },
  });
  new Keys().addTo(map);
  return { refresh: () => keys?.refresh(), focus: (id) => keys?.focus(id) ?? false };
}

/**
 * The toolbar of doc for items ([{id, name, kind}]): one button each, with a roving tabindex.
 * onOpen(item) when one is pressed, onEscape() on Escape; label names the toolbar. The Leaflet map puts it in a
 * control (createMapKeys); the server's inline map, while it is the live map, in its box
 * (map/live.js). Returns {bar, refresh(), focus(id)}: focus moves the focus (and the list's
 * Tab stop) to item id's key and says whether there is one.
 */
export function keyBar(doc, { items, describe, onOpen, onEscape, label }) {
  const buttons = [];
  let focused = 0;
  const nameOf = (i) => holdingName({ name: items[i].name, kind: items[i].kind, ...describe(items[i].id) });
  const bar = doc.createElement('div');
  bar.className = 'map-keys';
  bar.setAttribute('role', 'toolbar');
  if (label) bar.setAttribute('aria-label', label);
  bar.setAttribute('aria-orientation', 'vertical');
  const add = (item, i) => {
    const b = doc.createElement('button');
    b.className = 'map-key';
    b.type = 'button';
    b.tabIndex = i === 0 ? 0 : -1;
    b.dataset.id = item.id;
    b.textContent = item.name;
    b.addEventListener('focus', () => {
      focused = i;
      b.textContent = nameOf(i);
    });
    b.addEventListener('click', () => onOpen(item));
    bar.append(b);
    buttons.push(b);
  };
  // A few hundred buttons at a time, each batch in a task of its own after the first: the
  // thousands of a large map's regions would otherwise hold its first draw, and the slider,
  // for tens of milliseconds more.
  const fill = (from) => {
    const to = Math.min(from + KEYS_PER_TASK, items.length);
    for (let i = from; i < to; i++) add(items[i], i);
    if (to < items.length) setTimeout(() => fill(to), 0);
  };
  fill(0);
  // The map's own keys (the date's arrows, Leaflet's panning) stay out of the list.
  const focus = (next) => {
    buttons[focused].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  };
  bar.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') onEscape();
    const next = rovingIndex(e.key, focused, buttons.length);
    if (next < 0) return;
    e.preventDefault();
    e.stopPropagation();
    focus(next);
  });
  return {
    bar,
    focus(id) {
      const next = buttons.findIndex((b) => b.dataset.id === id);
      if (next >= 0) focus(next);
      return next >= 0;
    },
    refresh() {
      // Written only when it changed: a new text, even the same words, has the browser lay
      // the whole list out again, which on a large map's thousands of keys cost more than
      // the rest of a slider step.
      const b = buttons[focused];
      if (!b) return;
      const name = nameOf(focused);
      if (b.textContent !== name) b.textContent = name;
    },
  };
}

/** The list's items: the regions (GeoJSON features, or ./shapes.js's), then the places, each by name. */
export function keyItems(L, features, places, { idOf, nameOf }) {
  // One collator for the sort, as localeCompare makes one a call (35 ms of a large map's start).
  const collator = new Intl.Collator();
  const byName = (a, b) => collator.compare(a.name, b.name);
  const regions = features.map((f) => {
    const id = idOf(f);
    // The middle of its box: the server's for projected shapes (./shapes.js), which have no geometry.
    const bounds = () => (f.bbox ? L.latLngBounds([f.bbox[1], f.bbox[0]], [f.bbox[3], f.bbox[2]]) : L.geoJSON(f).getBounds());
    return { id, name: nameOf(id), latlng: () => bounds().getCenter() };
  });
  const marks = places
    .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon))
    .map((p) => ({ id: String(p.id), name: p.name ?? String(p.id), kind: p.kind ?? '', latlng: () => L.latLng(p.lat, p.lon) }));
  return [...regions.sort(byName), ...marks.sort(byName)];
}

/**
 * The index a key moves the focus to in a list of count items from index, or -1 for a key
 * that does not move it: arrows step (and wrap), Home and End jump, Page keys move by ten.
 */
export function rovingIndex(key, index, count) {
  if (count <= 0) return -1;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(index + 10, count - 1);
    case 'PageUp':
      return Math.max(index - 10, 0);
    default:
      return -1;
  }
}
