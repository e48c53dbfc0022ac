// The map's places (cities, towns: points that hold a faction as regions do) as markers over
// the regions, in their own pane and SVG renderer whichever layer draws the regions, each in
// its holder's colour: a filled disc for a confirmed holding, a ring of the colour around the
// hatch's ground for a claim (a disc too small to show the regions' stripes). Labels are
// Leaflet tooltips, shown only where they do not collide (placeLabels), capitals first.
//
// Made with (L, map, options) and offers:
//   has(id)                     whether id is a place
//   ids()                       the places' ids
//   paint(id, faction, claimed) colours one marker, as a layer's paint colours a region
//   addTo(map)                  puts the markers (and their labels) on the map
// options: places ([{id, name, kind, lon, lat}] from the page data), colorOf(faction),
// hatch (./paint.js), holderOf(id) -> {faction, claimed} for the first colour, and
// onOpen(id, latlng) when a reader clicks a marker.

import { COLORS } from './paint.js';

const PANE = 'places';
const LABEL_PANE = 'place-labels'; // above the markers, so that a label covers a lesser dot
/** Marker radius in pixels, by kind: capitals larger (geo/inline.go draws the same). */
export const RADIUS = Object.freeze({ capital: 6, default: 4.5 });
/** Label height, and width per character, in pixels (the style sheet's 12 px type). */
const LABEL_HEIGHT = 16;
const CHAR_WIDTH = 6.6;

/**
 * Which labels to show, and on which side of their marker: of the candidates, in priority
 * order, those whose box overlaps no label shown already and no marker of a place before it
 * (a label may cover a lesser place's marker: near a capital, the capital's name matters
 * more) nor a box of avoid (the map's controls over it, {x0, y0, x1, y1}: zoom buttons, scale
 * bar, credits; see controlBoxes) and lies inside the box of size [width, height]; each tries first the side the page's direction reads
 * from (after the marker: right, or left when rtl), then the other. candidates:
 * [{id, x, y, text, r, w}], x and y the marker's centre in pixels, w the label's width as
 * measured (else estimated from the text). Returns a Map of the ids to
 * show to their side, 'right' or 'left'.
 */
export function placeLabels(candidates, [width, height], { rtl = false, avoid = [] } = {}) {
  const shown = new Map();
  const markers = candidates.map((c) => ({ x0: c.x - c.r, y0: c.y - c.r, x1: c.x + c.r, y1: c.y + c.r, id: c.id }));
  const taken = [...avoid];
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const sides = rtl ? ['left', 'right'] : ['right', 'left'];
  for (const [i, c] of candidates.entries()) {
    const w = c.w ?? Math.ceil(c.text.length * CHAR_WIDTH) + 4;
    for (const side of sides) {
      const x0 = side === 'left' ? c.x - c.r - 2 - w : c.x + c.r + 2;
      const box = { x0, y0: c.y - LABEL_HEIGHT / 2, x1: x0 + w, y1: c.y + LABEL_HEIGHT / 2 };
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
      if (taken.some((t) => overlaps(t, box))) continue;
      if (markers.slice(0, i).some((m) => overlaps(m, box))) continue;
      taken.push(box);
      shown.set(c.id, side);
      break;
    }
  }
  return shown;
}

/** The map's own controls over it, which no name covers: zoom buttons, scale bar, credits. */
export const MAP_CONTROLS = '.leaflet-control-zoom, .leaflet-control-scale, .leaflet-control-attribution';

/**
 * The boxes {x0, y0, x1, y1}, in container pixels, of the elements in container that match
 * selector (by default the map's controls): a name under the zoom buttons at a phone's left
 * edge showed only its end ("ryab" of Faryab, "heberghan" of Sheberghan).
 */
export function boxesIn(container, selector = MAP_CONTROLS) {
  const origin = container.getBoundingClientRect();
  return [...container.querySelectorAll(selector)].map((el) => {
    const r = el.getBoundingClientRect();
    return { x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left, y1: r.bottom - origin.top };
  });
}

/** Places in label priority: capitals first, then by population, then as the data lists them. */
export function byPriority(places) {
  const rank = (p) => (p.kind === 'capital' ? 0 : 1);
  return places
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (b.p.population ?? 0) - (a.p.population ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** A label's tooltip options for its side of the marker. */
const labelSide = (side) => ({ direction: side, offset: [side === 'left' ? -4 : 4, 0] });

export class PlaceMarkers {
  constructor(L, map, options) {
    this.L = L;
    this.map = map;
    this.o = options;
    this.markers = new Map(); // place id -> L.CircleMarker
    this.claimed = new Set(); // ids of the places held on a claim
    this.widths = new Map(); // place id -> its label's width in pixels
    this.places = byPriority((options.places ?? []).filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat)));
    // Above the regions, under popups (CSS: .leaflet-places-pane, .leaflet-place-labels-pane).
    if (!map.getPane(PANE)) map.createPane(PANE);
    if (!map.getPane(LABEL_PANE)) map.createPane(LABEL_PANE);
    const renderer = L.svg({ pane: PANE, padding: 0.5 });
    for (const p of this.places) {
      const id = String(p.id);
      const { faction, claimed } = options.holderOf(id);
      if (claimed) this.claimed.add(id);
      const marker = L.circleMarker([p.lat, p.lon], {
        pane: PANE, renderer, radius: RADIUS[p.kind] ?? RADIUS.default,
        ...this.style(faction, claimed), className: 'place-marker',
      });
      marker.bindTooltip(p.name ?? id, {
        permanent: true, ...labelSide(options.rtl ? 'left' : 'right'),
        className: 'place-label', pane: LABEL_PANE, opacity: 1,
      });
      marker.on('click', (e) => {
        this.L.DomEvent.stopPropagation(e);
        options.onOpen(id, marker.getLatLng());
      });
      marker.on('add', () => {
        const el = marker.getElement();
        el?.setAttribute('data-place', id);
        el?.classList.toggle('claimed', this.claimed.has(id));
      });
      this.markers.set(id, marker);
    }
  }

  has(id) {
    return this.markers.has(id);
  }

  ids() {
    return [...this.markers.keys()];
  }

  style(faction, claimed) {
    const color = this.o.colorOf(faction);
    // A claim: the ring of the holder's colour around the hatch's ground.
    return claimed
      ? { color, weight: 2.5, opacity: 1, fillColor: this.o.hatch.ground, fillOpacity: 1 }
      : { color: COLORS.border, weight: 1.5, opacity: 1, fillColor: color, fillOpacity: 1 };
  }

  paint(id, faction, claimed) {
    const marker = this.markers.get(id);
    if (!marker) return;
    marker.setStyle(this.style(faction, claimed));
    if (claimed) this.claimed.add(id);
    else this.claimed.delete(id);
    marker.getElement()?.classList.toggle('claimed', claimed);
  }

  /** Rings the markers of the Set ids, a comparison's changes (map.css: .place-marker.changed). */
  emphasize(ids) {
    for (const [id, marker] of this.markers) marker.getElement()?.classList.toggle('changed', ids.has(id));
  }

  addTo(map) {
    // The last added is on top: capitals over the towns and districts near them.
    for (const m of [...this.markers.values()].reverse()) m.addTo(map);
    this.relabel();
    map.on('zoomend moveend resize', () => this.relabel());
  }

  /** Show the labels that fit, hide the others (placeLabels), at the view now. */
  relabel() {
    const size = this.map.getSize();
    const candidates = [];
    for (const p of this.places) {
      const m = this.markers.get(String(p.id));
      const pt = this.map.latLngToContainerPoint(m.getLatLng());
      const id = String(p.id);
      // Measured once, while every label still shows: a hidden one measures 0.
      if (!this.widths.has(id)) {
        const width = m.getTooltip()?.getElement()?.offsetWidth;
        if (width) this.widths.set(id, width + 2);
      }
      candidates.push({ id, x: pt.x, y: pt.y, r: m.getRadius(), text: p.name ?? id, w: this.widths.get(id) });
    }
    const show = placeLabels(candidates, [size.x, size.y], { rtl: this.o.rtl, avoid: boxesIn(this.map.getContainer()) });
    for (const [id, m] of this.markers) {
      const tooltip = m.getTooltip();
      const el = tooltip?.getElement();
      if (!el) continue;
      el.hidden = !show.has(id);
      const side = show.get(id);
      if (side && side !== tooltip.options.direction) {
        Object.assign(tooltip.options, labelSide(side));
        tooltip.update();
      }
    }
  }
}
