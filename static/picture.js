// Frontline's first picture of a map: as soon as the region shapes arrive, the page's map
// at its date is drawn on a plain canvas, and only then is Leaflet's script run (the page
// preloads it; this module adds it, so that running it does not hold the picture back).
// static/map.js starts once Leaflet is there (`leaflet`), builds the interactive map over
// the picture, framed the same way, and takes the picture away once its regions are drawn.
// Running Leaflet and building its layers takes some 100 ms on a slow machine, which a
// reader would otherwise spend looking at an empty box (docs/benchmarks.md).
//
// The server puts who holds each region in the page's data (`picture`) for maps small
// enough to be drawn as SVG; large maps go straight to their canvas (static/map/canvas-layer.js).

import { COLORS, FALLBACK_COLOR, canvasHatch, parseHatch, patternMatrix } from './map/paint.js';

// The framing must be Leaflet's after static/map/view.js's fit: fitBounds with this padding
// (each side, pixels) and zoom snapped to this step.
export const FIT_PADDING = 12;
export const ZOOM_SNAP = 0.25;
const MAX_LATITUDE = 85.0511287798; // Leaflet's spherical Mercator

const parsed = new WeakMap();

/** The page's map data (#map-data), parsed once for this module and map.js. */
export function mapData(node) {
  if (!parsed.has(node)) parsed.set(node, JSON.parse(node.textContent));
  return parsed.get(node);
}

let shapes = null; // {url, promise} of the region shapes this module asked for

/** The region shapes at url, parsed: the request this module made already, if it was for url. */
export function fetchShapes(url) {
  if (shapes?.url === url) return shapes.promise;
  return fetch(url, { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    return res.json();
  });
}

/** Leaflet's EPSG:3857 pixel position at zoom 0 (a 256-pixel world). */
function project(lng, lat) {
  const s = Math.sin((Math.max(Math.min(lat, MAX_LATITUDE), -MAX_LATITUDE) * Math.PI) / 180);
  return [(lng / 360 + 0.5) * 256, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256];
}

/** A GeoJSON geometry's polygons, each a list of rings: none unless (Multi)Polygon. */
export const polygonsOf = (g) => (g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []);

/** Draw the regions in the map box, coloured as data.picture says, framed as Leaflet will. */
function draw(mapEl, data, geojson) {
  if (mapEl.querySelector('.leaflet-pane')) return; // the interactive map got there first
  const width = mapEl.clientWidth;
  const height = mapEl.clientHeight;
  const features = (geojson?.features ?? []).filter((f) => f && (f.id ?? f.properties?.id) !== undefined);
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const poly of polygonsOf(f.geometry)) {
      for (const ring of poly) {
        for (const [lng, lat] of ring) {
          west = Math.min(west, lng);
          east = Math.max(east, lng);
          south = Math.min(south, lat);
          north = Math.max(north, lat);
        }
      }
    }
  }
  if (!width || !height || !(east > west) || !(north > south)) return;
  // Leaflet's getBoundsZoom and fitBounds.
  const [x0, y0] = project(west, north);
  const [x1, y1] = project(east, south);
  let zoom = Math.log2(Math.min((width - 2 * FIT_PADDING) / (x1 - x0), (height - 2 * FIT_PADDING) / (y1 - y0)));
  zoom = Math.round(zoom / (ZOOM_SNAP / 100)) * (ZOOM_SNAP / 100);
  zoom = Math.max(0, Math.floor(zoom / ZOOM_SNAP) * ZOOM_SNAP);
  const k = 2 ** zoom;
  const originX = Math.round(((x0 + x1) / 2) * k - width / 2);
  const originY = Math.round(((y0 + y1) / 2) * k - height / 2);

  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.className = 'map-picture';
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio * k, 0, 0, ratio * k, -ratio * originX, -ratio * originY);
  const all = new Path2D();
  const paths = features.map((f) => {
    const path = new Path2D();
    for (const poly of polygonsOf(f.geometry)) {
      for (const ring of poly) {
        ring.forEach(([lng, lat], i) => {
          const [x, y] = project(lng, lat);
          if (i === 0) path.moveTo(x, y);
          else path.lineTo(x, y);
        });
        path.closePath();
      }
    }
    all.addPath(path);
    return path;
  });
  const colors = new Map((data.factions ?? []).map((f) => [String(f.id), f.color]));
  const claimed = new Set(data.picture.claimed ?? []);
  const hatch = claimed.size > 0 ? parseHatch(data.hatch) : null;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = COLORS.outline;
  ctx.lineWidth = 4 / k;
  ctx.stroke(all);
  features.forEach((f, i) => {
    const id = String(f.id ?? f.properties.id);
    const faction = String(data.picture.holders?.[id] ?? data.initial);
    const color = colors.get(faction) ?? FALLBACK_COLOR;
    let fill = color;
    if (claimed.has(id)) {
      fill = canvasHatch(ctx, color, hatch);
      fill.setTransform(new DOMMatrix(patternMatrix(hatch, k)));
    }
    ctx.fillStyle = fill;
    ctx.fill(paths[i], 'evenodd');
  });
  ctx.strokeStyle = COLORS.border;
  ctx.lineWidth = 1 / k;
  ctx.stroke(all);
  mapEl.append(canvas);
  performance.mark('frontline:picture');
}

/**
 * Run Leaflet's script (the URL the page preloads) and resolve with window.L, or with
 * undefined when it cannot load: map.js then says the map could not start.
 */
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  const preload = document.querySelector('link[rel="preload"][as="script"][href*="leaflet"]');
  if (!preload) return Promise.resolve(window.L);
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = preload.href;
    script.onload = script.onerror = () => resolve(window.L);
    document.head.append(script);
  });
}

/** Resolves with Leaflet (window.L) once the first picture, if any, is drawn and Leaflet has run. */
export const leaflet = start();

// Start at once: ask for the shapes (the page preloads them), draw when they arrive, then
// run Leaflet. Whatever fails here, Leaflet still runs and map.js reports the failure.
function start() {
  const node = document.getElementById('map-data');
  const mapEl = document.getElementById('map');
  let picture = Promise.resolve();
  try {
    const data = node && mapData(node);
    if (data && typeof data.geojson === 'string' && data.geojson) {
      shapes = { url: data.geojson, promise: fetchShapes(data.geojson) };
      shapes.promise.catch(() => {}); // map.js reports a failure where it awaits them
      if (mapEl && data.picture) {
        picture = shapes.promise.then((geojson) => draw(mapEl, data, geojson)).catch(() => {});
      }
    }
  } catch {
    // map.js says the data is unreadable.
  }
  // The frame with the picture first, then Leaflet.
  return picture.then(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))).then(loadLeaflet);
}
