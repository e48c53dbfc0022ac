// Region labels: each region's name at its label point (the server's "label" property,
// inside the region), shown by zoom and size: a name is shown only when it fits within the
// region's width on screen, larger regions first, and never over a place's marker or label
// (places are labelled first: the news is about cities) nor over another region's name.
// Names carry a halo (map.css) so that they read over any fill on a phone, and the page's
// direction (its dir attribute) for right-to-left scripts.
//
// Made with (L, map, {features, nameOf, rtl}) and offers addTo(map) and relabel(). It
// makes a tooltip for a region only once its name is first shown, so a map of thousands
// of regions creates only the few that fit.

import { boxesIn, MAP_CONTROLS } from './places.js';

const PANE = 'region-labels';
/** Label height and width per character in pixels (map.css's 11 px type), before measuring. */
const LABEL_HEIGHT = 14;
const CHAR_WIDTH = 7;
/** A name is shown when the region is this much wider than it on screen, and tall enough. */
const FIT = 1.1;
/** Room kept around a name, in pixels: Leaflet's placing rounds, and names need air. */
const PAD = 2;

/**
 * Which region names to show: of the candidates in priority order, those whose label fits
 * in their region (w * FIT <= span, LABEL_HEIGHT <= height), lies inside the box of size
 * [width, height] and overlaps neither a box of taken (places' markers and labels) nor a
 * name shown already. candidates: [{id, x, y, w, span, tall}], x and y the label point in
 * pixels, w the name's width, span and tall the region's size on screen. Returns the ids
 * to show, in order.
 */
export function regionLabels(candidates, [width, height], taken = []) {
  const shown = [];
  const boxes = [...taken];
  const overlaps = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  for (const c of candidates) {
    if (c.w * FIT > c.span || LABEL_HEIGHT > c.tall) continue;
    const box = { x0: c.x - c.w / 2 - PAD, y0: c.y - LABEL_HEIGHT / 2 - PAD, x1: c.x + c.w / 2 + PAD, y1: c.y + LABEL_HEIGHT / 2 + PAD };
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
    if (boxes.some((b) => overlaps(b, box))) continue;
    boxes.push(box);
    shown.push(c.id);
  }
  return shown;
}

/** The [west, south, east, north] box of a GeoJSON Polygon or MultiPolygon. */
export function bboxOf(geometry) {
  const polys = geometry?.type === 'Polygon' ? [geometry.coordinates] : geometry?.type === 'MultiPolygon' ? geometry.coordinates : [];
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polys) {
    for (const [x, y] of poly[0] ?? []) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  }
  return w <= e ? [w, s, e, n] : null;
}

export class RegionLabels {
  /** features: the regions' GeoJSON features ({id, properties: {label}, geometry or bbox}). */
  constructor(L, map, { features, idOf, nameOf, rtl = false }) {
    this.L = L;
    this.map = map;
    this.rtl = rtl;
    this.tooltips = new Map(); // region id -> L.Tooltip, made when first shown
    this.widths = new Map(); // region id -> its name's width, measured once shown
    this.regions = [];
    for (const f of features) {
      const id = idOf(f);
      const bbox = f.bbox ?? bboxOf(f.geometry); // the server's, for projected shapes (./shapes.js)
      if (id === null || !bbox) continue;
      const [lon, lat] = Array.isArray(f.properties?.label) ? f.properties.label : [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
      this.regions.push({ id, name: nameOf(id), lat, lon, bbox });
    }
    this.byId = new Map(this.regions.map((r) => [r.id, r]));
    if (!map.getPane(PANE)) map.createPane(PANE);
  }

  addTo(map) {
    this.relabel();
    map.on('zoomend moveend resize', () => this.relabel());
    return this;
  }

  /**
   * The boxes, in container pixels, of the places' markers and labels shown, and of the
   * map's controls that lie over it (zoom buttons, scale, credits).
   */
  placeBoxes() {
    return boxesIn(this.map.getContainer(), `.place-marker, .leaflet-tooltip.place-label:not([hidden]), ${MAP_CONTROLS}`);
  }

  /**
   * Show the names that fit (regionLabels), hide the others, at the view now. A name shown
   * for the first time is measured; when it is wider than guessed, the names are placed
   * again with its width (again is false then, so that this happens once).
   */
  relabel(again = true) {
    const size = this.map.getSize();
    const candidates = [];
    for (const r of this.regions) {
      const sw = this.map.latLngToContainerPoint([r.bbox[1], r.bbox[0]]);
      const ne = this.map.latLngToContainerPoint([r.bbox[3], r.bbox[2]]);
      const span = ne.x - sw.x;
      const tall = sw.y - ne.y;
      const w = this.widths.get(r.id) ?? Math.ceil(r.name.length * CHAR_WIDTH) + 4;
      if (w * FIT > span) continue; // too small at this zoom: no need to place it
      const pt = this.map.latLngToContainerPoint([r.lat, r.lon]);
      candidates.push({ id: r.id, x: pt.x, y: pt.y, w, span, tall, area: span * tall });
    }
    candidates.sort((a, b) => b.area - a.area);
    const show = new Set(regionLabels(candidates, [size.x, size.y], this.placeBoxes()));
    for (const [id, t] of this.tooltips) t.getElement().hidden = !show.has(id);
    const added = [];
    for (const id of show) {
      if (this.tooltips.has(id)) continue;
      const r = this.byId.get(id);
      const t = this.L.tooltip({ permanent: true, direction: 'center', className: 'region-label', pane: PANE, opacity: 1, interactive: false })
        .setLatLng([r.lat, r.lon])
        .setContent(r.name)
        .addTo(this.map);
      const el = t.getElement();
      el.dir = this.rtl ? 'rtl' : 'auto';
      el.dataset.region = id;
      this.tooltips.set(id, t);
      added.push(id);
    }
    // Measured once all are added: one layout for them all, rather than one each (tens of
    // milliseconds a name while a large map's first draw still holds the page).
    let wider = false;
    const guessed = new Map(candidates.map((c) => [c.id, c.w]));
    for (const id of added) {
      const w = this.tooltips.get(id).getElement().offsetWidth + 2;
      this.widths.set(id, w);
      wider ||= w > guessed.get(id);
    }
    if (wider && again) this.relabel(false);
  }
}
