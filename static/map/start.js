// How a map page starts. The server has drawn the map at the page's date as an inline <svg>
// in the map box (.map-inline, web/inline_map.go), which shows at first paint and without
// JavaScript. This module asks for the region shapes at once (the page preloads them) and
// runs Leaflet's script only after the first frame, so that running it never holds that
// frame back; static/map.js then builds the interactive map over the inline one, framed the
// same way (static/map/view.js fits the regions with FIT_PADDING, as map.css insets the
// <svg>), and takes the inline map away once Leaflet has painted (removeInline).

// The padding (each side, pixels) of Leaflet's fit of the regions, which map.css gives
// .map-inline too; and the zoom step of the reader's zooming (the fit itself is exact).
export const FIT_PADDING = 12;
export const ZOOM_SNAP = 0.25;

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

/** A GeoJSON geometry's polygons, each a list of rings: none unless (Multi)Polygon. */
export const polygonsOf = (g) => (g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []);

/**
 * Take the server's inline map out of mapEl once Leaflet's layers have painted: two frames
 * on, as Leaflet's canvas draws in the frame after it is asked to. Until then the inline map
 * lies under Leaflet's panes, so no frame shows the box empty.
 */
export function removeInline(mapEl) {
  const inline = mapEl.querySelector(':scope > .map-inline');
  if (!inline) return;
  const win = mapEl.ownerDocument.defaultView ?? window;
  win.requestAnimationFrame(() => win.requestAnimationFrame(() => inline.remove()));
}

/**
 * Run Leaflet's script (the URL the page preloads) and resolve with window.L, or with
 * undefined when it cannot load: map.js then says the map could not start.
 */
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  const preload = document.querySelector('link[rel="preload"][as="script"][href*="leaflet"]');
  if (!preload) return Promise.resolve(window.L);
  return loadLeafletStyles().then(() => new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = preload.href;
    script.onload = script.onerror = () => resolve(window.L);
    document.head.append(script);
  }));
}

/**
 * Link Leaflet's style sheet, when the page preloads it rather than linking it (the embed,
 * whose first paint waits for no style sheet), and resolve once it has loaded or failed:
 * Leaflet lays its panes out by it.
 */
function loadLeafletStyles() {
  const preload = document.querySelector('link[rel="preload"][as="style"][href*="leaflet"]');
  if (!preload || document.querySelector('link[rel="stylesheet"][href*="leaflet"]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = preload.href;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
}

/** Resolves with Leaflet (window.L) once the first frame is out and Leaflet has run. */
export const leaflet = start();

function start() {
  try {
    const node = document.getElementById('map-data');
    const data = node && mapData(node);
    if (data && typeof data.geojson === 'string' && data.geojson) {
      shapes = { url: data.geojson, promise: fetchShapes(data.geojson) };
      shapes.promise.catch(() => {}); // map.js reports a failure where it awaits them
    }
  } catch {
    // map.js says the data is unreadable.
  }
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))).then(loadLeaflet);
}

/** A GeoJSON feature's region id (its id, or properties.id), or null for none. */
export function regionIdOf(feature) {
  const id = feature.id ?? feature.properties?.id;
  return id === undefined || id === null ? null : String(id);
}

/**
 * The bytes at url (a compact timeline). No custom headers: the request must match the
 * page's <link rel="preload" as="fetch" crossorigin> for the browser to reuse its response.
 */
export async function fetchBytes(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}
