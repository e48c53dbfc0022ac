// The server's inline map (web/inline_map.go) as the live map of a light page (liteMap in
// ./start.js): the slider recolours its regions and places' markers, a click or the keyboard
// list opens their popups, and its zoom buttons and gestures move the picture at once while
// Leaflet is fetched to take over (./live-view.js). Its regions and places offer what a
// layer and the places' markers offer on Leaflet's map (./layer.js, ./places.js), so that
// map.js paints either the same way; the colours and the hatch are ./paint.js's, as the
// server's picture draws them (geo/inline.go).
//
// The page without JavaScript is the server's SVG as it came: everything here is added by
// the script (ids for tests and styles, the live class, the buttons, the popup's box).

import { COLORS, svgPattern } from './paint.js';
import { keyBar } from './keys.js';
import { RADIUS } from './places.js';
import { createLiveView } from './live-view.js';
import { createLivePopup } from './live-popup.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
// A marker's edge, in pixels, as geo/inline.go and ./places.js draw it: a white edge around
// a confirmed holder's disc, a ring of the colour around a claim's hatch ground.
const EDGE = 1.5;
const CLAIM_EDGE = 2.5;
// A comparison's ring around a changed marker, beyond its edge (map.css: .place-marker.changed).
const RING = 3;

/**
 * The live map over mapEl's inline <svg>, or null when there is none with region ids. options:
 * hatch and colorOf(faction) (./paint.js), places (the page data's), nameOf(id),
 * describe(id) (the keyboard list's, ./keys.js), content(id) (a popup's element,
 * ui/popup.js's popupContents, a promise of it) and onOpen(id) when one opens, onMore() when
 * the reader zooms or pans (time for Leaflet), rtl, words (the page data's: keys, zoomIn,
 * zoomOut, closePopup).
 * Returns {regions, places, keys, open(id, point?), refresh(id), handOver(map, reopen)}.
 */
export function createLiveMap(mapEl, { hatch, colorOf, places = [], nameOf, describe, content, onOpen, onMore, rtl = false, words = {} }) {
  const svg = mapEl.querySelector(':scope > svg.map-inline');
  if (!svg?.querySelector('[data-inline-region]')) return null;
  const doc = mapEl.ownerDocument;
  svg.classList.add('is-live');
  const regionPaths = new Map();
  for (const path of svg.querySelectorAll('path[data-inline-region]')) {
    regionPaths.set(path.dataset.inlineRegion, path);
    path.dataset.region = path.dataset.inlineRegion; // as Leaflet's paths: tests and styles read it
  }
  const markers = new Map(); // place id -> {outer, inner, r}
  const kinds = new Map(places.map((p) => [String(p.id), p.kind]));
  for (const path of svg.querySelectorAll('path[data-inline-place]')) {
    const id = path.dataset.inlinePlace;
    const m = markers.get(id) ?? { r: RADIUS[kinds.get(id)] ?? RADIUS.default };
    if (m.outer) m.inner = path;
    else m.outer = path;
    markers.set(id, m);
  }
  for (const [id, m] of markers) {
    m.outer.dataset.place = id; // as Leaflet's markers: tests and styles read these
    m.outer.classList.add('place-marker');
  }

  const view = createLiveView(mapEl, svg, { rtl, words, onMove: () => popup.place(), onMore });
  const popup = createLivePopup(mapEl, view, words);

  // Hatches in the SVG's units: as the server's own (sized for a phone's box), so that stripes
  // drawn now match those it drew; without one, as many pixels as the browser's elsewhere at
  // the size the box has now.
  // Worked out with the first hatch drawn, not at the start: the box's size is a layout,
  // which the start would force while the page still lays out around the map.
  const served = svg.querySelector('defs > pattern')?.width.baseVal.value;
  const unitNow = () => {
    if (served > 0) return served / hatch.period;
    const box = svg.viewBox.baseVal;
    const rect = svg.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 ? 1 / Math.min(rect.width / box.width, rect.height / box.height) : 1;
  };
  let unit = 0;
  let defs = null;
  const hatches = new Map(); // faction -> its pattern's url, once made
  const hatchOf = (f) => {
    let url = hatches.get(f);
    if (url) return url;
    const id = `fp-live-hatch-${f}`;
    if (!doc.getElementById(id)) {
      unit ||= unitNow();
      defs ??= svg.querySelector(':scope > defs') ?? svg.insertBefore(doc.createElementNS(SVG_NS, 'defs'), svg.firstChild);
      defs.append(svgPattern(doc, id, colorOf(f), { ...hatch, period: hatch.period * unit, stripe: hatch.stripe * unit }));
    }
    url = `url(#${id})`;
    hatches.set(f, url);
    return url;
  };

  // A changed or selected region's line over the borders, which the server draws over the
  // fills (geo/inline.go's inlineRegions: a step then changes fills alone): a copy of its
  // fill in a group above them, as Leaflet brings a path to the front (not a <use>, whose
  // copy would not take .map-inline path.changed's non-scaling stroke). It takes no pointer:
  // a click finds the region's fill below.
  const borders = svg.querySelector('g.map-inline-borders');
  const marks = doc.createElementNS(SVG_NS, 'g');
  marks.setAttribute('class', 'map-inline-marks');
  marks.setAttribute('pointer-events', 'none');
  const marked = new Map(); // `${cls} ${id}` -> its copy
  const mark = (id, cls, on) => {
    const key = `${cls} ${id}`;
    const path = regionPaths.get(id);
    path?.classList.toggle(cls, on); // tests and styles read the class on the region's path
    marked.get(key)?.remove();
    marked.delete(key);
    if (!on || !path) return;
    if (!borders) return path.parentNode.append(path); // a picture of one group: to its front
    if (!marks.isConnected) borders.after(marks);
    const copy = path.cloneNode(false);
    for (const a of ['id', 'data-inline-region', 'data-region', 'data-faction', 'data-claimed']) copy.removeAttribute(a);
    copy.setAttribute('class', cls);
    if (cls === 'hover') copy.setAttribute('fill', 'none'); // a line only: no fill to keep in step
    marks.append(copy);
    marked.set(key, copy);
  };

  let selected = null;
  let emphasized = new Set();
  // What each region's path shows, as last painted (its data-faction and data-claimed, which
  // tests and styles read): compared here rather than read back from the DOM at each step.
  // Each attribute is written only when its value changes: a region taken by another
  // faction on a claim as its last holder's keeps data-claimed.
  const held = new Map(); // region id -> {faction, claimed}
  const regions = {
    paint(id, faction, claimed) {
      const path = regionPaths.get(id);
      const was = held.get(id);
      if (!path || (was && was.faction === faction && was.claimed === claimed)) return;
      // The server's own fill stays while it shows the same holding (its hatch is sized alike).
      const server = !was && drawnAs(path);
      held.set(id, { faction, claimed });
      if (!(server && server.color === colorOf(faction) && server.claimed === claimed)) {
        const fill = claimed ? hatchOf(faction) : colorOf(faction);
        path.setAttribute('fill', fill);
        if (marked.size > 0) for (const cls of ['changed', 'selected']) marked.get(`${cls} ${id}`)?.setAttribute('fill', fill);
      }
      if (was?.faction !== faction) path.dataset.faction = faction;
      if (was?.claimed !== claimed) path.dataset.claimed = String(claimed);
    },
    select(id) {
      if (selected !== null) mark(selected, 'selected', false);
      selected = id;
      if (id !== null) mark(id, 'selected', true); // above its neighbours, whose borders would cover it
    },
    emphasize(ids) {
      for (const id of emphasized) if (!ids.has(id)) mark(id, 'changed', false);
      for (const id of ids) if (!emphasized.has(id)) mark(id, 'changed', true);
      emphasized = new Set(ids);
      if (selected !== null) regions.select(selected);
    },
    flush() {},
  };

  const rings = new Map(); // place id -> its comparison's ring
  const placeMarks = {
    paint(id, faction, claimed) {
      const m = markers.get(id);
      if (!m?.inner || (m.faction === faction && m.claimed === claimed)) return;
      m.faction = faction;
      m.claimed = claimed;
      const color = colorOf(faction);
      const [outer, inner, edge] = claimed ? [color, hatch.ground, CLAIM_EDGE] : [COLORS.border, color, EDGE];
      setAttr(m.outer, 'stroke', outer);
      setAttr(m.outer, 'stroke-width', String(2 * m.r + edge));
      setAttr(m.inner, 'stroke', inner);
      setAttr(m.inner, 'stroke-width', String(2 * m.r - edge));
      m.outer.classList.toggle('claimed', claimed);
    },
    emphasize(ids) {
      for (const [id, m] of markers) {
        const ring = rings.get(id);
        if (ids.has(id) && !ring) {
          const r = m.outer.cloneNode();
          r.removeAttribute('data-place');
          r.classList.add('place-changed');
          r.setAttribute('stroke', COLORS.changed);
          r.setAttribute('stroke-width', String(2 * m.r + CLAIM_EDGE + 2 * RING));
          m.outer.before(r);
          rings.set(id, r);
        } else if (!ids.has(id) && ring) {
          ring.remove();
          rings.delete(id);
        }
        m.outer.classList.toggle('changed', ids.has(id));
      }
    },
  };

  // The keyboard's list: regions by name, then places, as on Leaflet's map. Made once the
  // browser is idle (or the box takes the focus), not before the map takes its first input:
  // the page's first collator loads the language's collation, 10 to 30 ms of the start.
  let bar = null;
  let removed = false; // handed over: no list to make
  const makeKeys = () => {
    if (bar || removed) return;
    const collator = new Intl.Collator();
    const byName = (a, b) => collator.compare(a.name, b.name);
    const items = [
      ...[...regionPaths.keys()].map((id) => ({ id, name: nameOf(id) })).sort(byName),
      ...places.filter((p) => markers.has(String(p.id))).map((p) => ({ id: String(p.id), name: p.name ?? String(p.id), kind: p.kind ?? '' })).sort(byName),
    ];
    bar = keyBar(doc, { items, describe, label: words.keys, onEscape: () => popup.close(), onOpen: (item) => open(item.id) });
    bar.bar.classList.add('map-live-keys');
    mapEl.append(bar.bar);
  };
  const win = doc.defaultView ?? window;
  (win.requestIdleCallback ?? ((f) => win.setTimeout(f, 1)))(makeKeys, { timeout: 1000 });
  mapEl.addEventListener('focusin', makeKeys, { once: true });
  const keys = { refresh: () => bar?.refresh(), focus: (id) => bar?.focus(id) ?? false };

  /** The centre of region or place id's shape on screen, in the map box's pixels. */
  function centreOf(id) {
    const node = regionPaths.get(id) ?? markers.get(id)?.outer;
    if (!node) return null;
    const r = node.getBoundingClientRect();
    const m = mapEl.getBoundingClientRect();
    return { x: r.x + r.width / 2 - m.x, y: r.y + r.height / 2 - m.y };
  }

  /** Open id's popup at point (the map box's pixels; its shape's centre when none). */
  function open(id, point = centreOf(id)) {
    if (!point) return;
    popup.open(id, view.original(point), content(id));
    onOpen(id);
  }

  const onClick = (e) => {
    const node = e.target.closest?.('[data-inline-region], [data-inline-place]');
    const id = node?.dataset.inlineRegion ?? node?.dataset.inlinePlace;
    if (!id) return popup.close();
    const m = mapEl.getBoundingClientRect();
    open(id, { x: e.clientX - m.x, y: e.clientY - m.y });
  };
  svg.addEventListener('click', onClick);
  // The pointer's region is outlined over the borders, as a changed or selected one is (a
  // :hover stroke on the fill would lie under its neighbours' borders).
  let hovered = null;
  const onHover = (e) => {
    const id = e.type === 'pointerover' ? e.target.closest?.('[data-inline-region]')?.dataset.inlineRegion ?? null : null;
    if (id === hovered) return;
    if (hovered !== null) mark(hovered, 'hover', false);
    hovered = id;
    if (id !== null) mark(id, 'hover', true);
  };
  svg.addEventListener('pointerover', onHover);
  svg.addEventListener('pointerout', onHover);
  // Escape closes the popup, as on Leaflet's map.
  const onKey = (e) => {
    if (e.key === 'Escape') popup.close();
  };
  mapEl.addEventListener('keydown', onKey);

  return {
    regions, places: placeMarks, keys, open,
    refresh(id) {
      if (popup.id() === id) popup.update(content(id));
    },
    /**
     * Leaflet's map, fitted as the inline map is, takes over: it gets the view the reader
     * has moved the picture to, and reopen(id, latlng) the open popup. The inline map's
     * paths lose their ids (Leaflet's have them now); map.js removes it once Leaflet painted.
     * The focus, on a key or zoom button of the live map, moves to Leaflet's like it
     * (leafletKeys.focus(id): its keyboard list, ./keys.js), rather than to the page's top.
     */
    handOver(map, reopen, leafletKeys) {
      const open = popup.id();
      const origin = popup.origin(); // where the popup points, in the fitted view's pixels
      const at = open === null ? null : map.containerPointToLatLng([origin.x, origin.y]);
      const focused = mapEl.contains(doc.activeElement) ? doc.activeElement : null;
      view.handOver(map);
      popup.remove();
      removed = true;
      bar?.bar.remove();
      svg.removeEventListener('click', onClick);
      mapEl.removeEventListener('keydown', onKey);
      svg.classList.remove('is-live');
      for (const path of regionPaths.values()) delete path.dataset.region;
      for (const m of markers.values()) {
        delete m.outer.dataset.place;
        m.outer.classList.remove('place-marker');
      }
      if (at) reopen(open, at);
      if (focused) focusLike(focused, mapEl, leafletKeys);
    },
  };
}

/**
 * Focus Leaflet's element like the live map's el, focused at the hand-over: its zoom button,
 * its key for the same region or place, or the box itself, focused again so that Leaflet's
 * keyboard handler, made while it had the focus, hears its keys.
 */
function focusLike(el, mapEl, leafletKeys) {
  const zoom = el.classList.contains('map-zoom-in') ? '.leaflet-control-zoom-in' : el.classList.contains('map-zoom-out') ? '.leaflet-control-zoom-out' : '';
  if (zoom) return mapEl.querySelector(zoom)?.focus({ preventScroll: true });
  if (el.dataset.id !== undefined && leafletKeys?.focus(el.dataset.id)) return;
  if (el === mapEl) {
    mapEl.blur();
    mapEl.focus({ preventScroll: true });
  }
}

/** How the server drew a region: its colour and whether hatched (data-faction-color). */
function drawnAs(path) {
  const hatched = path.getAttribute('data-faction-color');
  return hatched ? { color: hatched, claimed: true } : { color: path.getAttribute('fill'), claimed: false };
}

function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}
