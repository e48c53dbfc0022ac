// The map layer: the regions drawn on the Leaflet map, as an SVG element each
// (./svg-layer.js) or all on one canvas (./canvas-layer.js, for large maps). The server
// decides which (the page data's `renderer`, from web's canvasMinRegions) and this is the
// one place that reads it: nothing above a layer asks which kind it is, as Leaflet's own
// Renderer hides SVG and Canvas behind one interface.
//
// A layer is made with (map, options) and offers:
//   draw(features) -> ids   builds the regions of GeoJSON features, returns their ids in
//                           drawing order; `bounds` is then their LatLngBounds
//   addTo(map)              puts them on the map (once its view is fitted to bounds)
//   paint(id, faction, claimed)  colours one region: the faction's colour, or its hatch
//   select(id)              outlines one region as chosen (null: none)
//   emphasize(ids)          draws the regions of the Set ids with a heavy dashed outline, a
//                           comparison's changes (the others lose it); colour-blind safe, as
//                           it is a line, not a hue
//   flush()                 draws what is pending now rather than at the next frame
// options: L (Leaflet), idOf(feature), nameOf(id), colorOf(faction), factions (ids, whose
// hatches an SVG layer prepares at once), hatch (./paint.js), holderOf(id) -> {faction,
// claimed} for a region's first colour, onOpen(id, latlng) when a reader clicks a region, and
// the lines' colours come from ./paint.js.

import { SvgLayer } from './svg-layer.js';

/** The page data's renderer names; anything else is refused when the page starts. */
export const RENDERERS = Object.freeze(['svg', 'canvas']);

let canvasModule = null; // the canvas layer's module, once in
let canvasLoading = null;

/**
 * Load the canvas layer's module (once a page): map/start.js asks for it as a large map's
 * page starts, beside the shapes, rather than one hop after Leaflet.
 */
export function loadCanvasLayer() {
  canvasLoading ??= import('./canvas-layer.js').then((m) => (canvasModule = m));
  return canvasLoading;
}

/**
 * A layer of the kind `renderer` names, on map. The SVG layer is made at once, before the
 * shapes arrive, so that its hatch patterns are ready for the first paint; the canvas layer's
 * module is loaded only for the large maps that need it, and the layer made at once when it
 * is in already: a dynamic import resolves in a task of its own, and the frame before it
 * held the map's first draw (docs/benchmarks.md, session 13).
 */
export function createLayer(renderer, map, options) {
  if (renderer === 'canvas') {
    if (canvasModule) return Promise.resolve(new canvasModule.CanvasLayer(map, options));
    return loadCanvasLayer().then((m) => new m.CanvasLayer(map, options));
  }
  if (renderer === 'svg') return Promise.resolve(new SvgLayer(map, options));
  return Promise.reject(new RangeError(`renderer: want one of ${RENDERERS.join(', ')}, got ${renderer}`));
}
