// What surrounds the map, drawn quietly under the regions: the neighbouring countries' land
// and their borders and coasts (the server's context.geojson, clipped to the map's
// surroundings at import), and, when the operator configured one (frontline serve --tiles),
// a tile layer under that. Nothing here takes clicks or focus: it is for orientation only.
//
// It lives in panes of its own below Leaflet's overlay pane, so it is under the regions
// whether they are drawn as SVG or on a canvas, and never changes the fitted view.

import { wrapFeatures } from './wrap.js';

const CONTEXT_PANE = 'frontline-context';
const TILE_PANE = 'frontline-tiles';

/**
 * Leaflet's style of a context feature: land filled without an outline (its edges along
 * the clip are not coasts), lines stroked thin. Colours come from the style sheet
 * (.context-land, .context-lines in map.css), so a theme can change them.
 */
export function contextStyle(feature) {
  if (feature?.properties?.part === 'lines') {
    return { className: 'context-lines', stroke: true, weight: 0.8, fill: false, interactive: false };
  }
  return { className: 'context-land', stroke: false, fill: true, fillOpacity: 1, interactive: false };
}

/**
 * Draw the context of data (its `context` URL and `tiles` template, drawn across the
 * antimeridian about its wrapCentre as the regions are) on map. Returns a
 * promise that settles when the context is drawn, or was not there to draw: a map reads
 * without it, so a failure is only logged.
 */
export function drawContext(L, map, { context = '', tiles = '', wrapCentre } = {}) {
  // The server checked the template (frontline serve --tiles).
  if (tiles) {
    pane(map, TILE_PANE, 150);
    L.tileLayer(tiles, { pane: TILE_PANE, attribution: '' }).addTo(map);
  }
  if (!context) return Promise.resolve(null);
  return fetch(context, { credentials: 'same-origin' })
    .then((res) => {
      if (!res.ok) throw new Error(`GET ${context}: HTTP ${res.status}`);
      return res.json();
    })
    .then((geojson) => {
      if (!geojson?.features?.length) return null;
      wrapFeatures(geojson, wrapCentre, { dropTorn: true }); // as the regions (./wrap.js)
      pane(map, CONTEXT_PANE, 250);
      // Its own SVG renderer: the map's default may be a canvas that takes clicks.
      const renderer = L.svg({ pane: CONTEXT_PANE, padding: 0.5 });
      return L.geoJSON(geojson, { pane: CONTEXT_PANE, renderer, interactive: false, style: contextStyle }).addTo(map);
    })
    .catch((err) => {
      console.warn('frontline: the land around the map could not be drawn', err);
      return null;
    });
}

/** The pane called name, made below the overlay pane (400) at zIndex, taking no pointer. */
function pane(map, name, zIndex) {
  const p = map.getPane(name) ?? map.createPane(name);
  p.style.zIndex = String(zIndex);
  p.style.pointerEvents = 'none';
  return p;
}
