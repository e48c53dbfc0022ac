// The canvas layer's region outlines (./canvas-layer.js): each ring projected once into
// pixels at one zoom, as a flat array [x0, y0, x1, y1, ...], and drawn at the detail the
// view needs. A world of admin-1 regions holds about 300,000 vertices; at the zoom that
// shows the whole world most of them are closer than a pixel to the one before, and
// rasterising them is most of what filling a region costs. So each zoom level gets its
// paths with the positions less than half a pixel from the last one kept dropped, built
// when the view first needs that level, and the full detail is kept for hit testing.

import { polygonsOf } from './start.js';

/** Web Mercator's largest latitude, as Leaflet's L.Projection.SphericalMercator clamps it. */
const MAX_LATITUDE = 85.0511287798;

/**
 * A function (lng, lat, out) -> [x, y] giving pixels at zoom, as crs.latLngToPoint(L.latLng(lat,
 * lng), zoom) does, written into out when given (a large map's tens of thousands of
 * positions then make no array each), else into a new array. For Leaflet's default CRS
 * (EPSG:3857) it computes the spherical Mercator inline, with no object per position; any
 * other CRS goes through Leaflet.
 */
export function projector(L, crs, zoom) {
  if (crs !== L.CRS.EPSG3857) {
    return (lng, lat, out = [0, 0]) => {
      const p = crs.latLngToPoint(L.latLng(lat, lng), zoom);
      out[0] = p.x;
      out[1] = p.y;
      return out;
    };
  }
  const size = 256 * 2 ** zoom;
  const d = Math.PI / 180;
  return (lng, lat, out = [0, 0]) => {
    const sin = Math.sin(Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE) * d);
    out[0] = size * (0.5 + lng / 360);
    out[1] = size * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI));
    return out;
  };
}

/**
 * The ring xy (flat [x0, y0, ...]) without the positions closer than tol to the last one
 * kept; the first and last are always kept. A ring left with fewer than three positions
 * keeps three of its own, evenly spaced, so that no region disappears: it is drawn a
 * pixel or so wide.
 */
export function decimate(xy, tol) {
  const n = xy.length / 2;
  if (tol <= 0 || n <= 3) return xy;
  const out = [xy[0], xy[1]];
  const tol2 = tol * tol;
  let lx = xy[0];
  let ly = xy[1];
  for (let k = 1; k < n - 1; k++) {
    const x = xy[2 * k];
    const y = xy[2 * k + 1];
    if ((x - lx) * (x - lx) + (y - ly) * (y - ly) < tol2) continue;
    out.push(x, y);
    lx = x;
    ly = y;
  }
  out.push(xy[2 * n - 2], xy[2 * n - 1]);
  if (out.length >= 6) return out;
  const third = Math.floor(n / 3);
  return [xy[0], xy[1], xy[2 * third], xy[2 * third + 1], xy[4 * third], xy[4 * third + 1]];
}

/**
 * One path of rings (each flat [x0, y0, ...]), each ring decimated at tol and closed,
 * made with Path (the browser's Path2D; another with moveTo, lineTo and closePath in tests).
 */
export function pathOf(rings, tol, Path = globalThis.Path2D) {
  const path = new Path();
  for (const ring of rings) {
    const xy = decimate(ring, tol);
    path.moveTo(xy[0], xy[1]);
    for (let k = 2; k < xy.length; k += 2) path.lineTo(xy[k], xy[k + 1]);
    path.closePath();
  }
  return path;
}

/**
 * The tolerance, in pixels at zoom `from`, that is half a device pixel at zoom `level`
 * with `ratio` device pixels to a CSS pixel; 0 (full detail) at `from` and closer.
 */
export function toleranceAt(level, from, ratio = 1) {
  if (level >= from) return 0;
  return 2 ** (from - level) / (2 * ratio);
}

/**
 * The canvas layer's regions of features, in pixels at a zoom from their north-west corner:
 * {zoom, origin: {x, y} (that corner in pixels from the world's), bounds: [west, south,
 * east, north] (degrees), regions: [{id, rings (flat [x0, y0, ...] each), minX, minY, maxX,
 * maxY, fill: null, path: null, lod: null, level: null}]} in the features' order. Features
 * the server projected (./shapes.js) come as they are, at their zoom; GeoJSON features are
 * projected here at zoom (crs, Leaflet's: projector).
 */
export function regionsOf(features, { L, crs, idOf, zoom }) {
  const frame = features[0]?.projected?.frame;
  if (frame && features.every((f) => f.projected?.frame === frame)) {
    if (crs !== L.CRS.EPSG3857) throw new Error('projected shapes are Web Mercator: the map must be too');
    const regions = features.map((f) => {
      const { rings, minX, minY, maxX, maxY } = f.projected;
      return { id: idOf(f), rings, minX, minY, maxX, maxY, fill: null, path: null, lod: null, level: null };
    });
    return { zoom: frame.zoom, origin: L.point(frame.origin[0], frame.origin[1]), bounds: frame.bounds, regions };
  }
  return projectFeatures(features, { L, crs, idOf, zoom });
}

/**
 * regionsOf for GeoJSON features. It runs once, before the first draw, so it is written for
 * code not yet optimised: plain loops, indexes rather than destructuring, and no object made
 * per position. One pass over the positions: each is projected from the world's corner and
 * its longitude and latitude bound the regions; the flat arrays are then moved to the
 * regions' north-west corner (a loop over typed arrays), rather than a first pass over the
 * GeoJSON for the bounds.
 */
function projectFeatures(features, { L, crs, idOf, zoom }) {
  const project = projector(L, crs, zoom);
  const p = [0, 0];
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  const regions = [];
  for (const f of features) {
    const rings = [];
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of polygonsOf(f.geometry)) {
      for (const ring of poly) {
        if (ring.length === 0) continue;
        const xy = new Float64Array(2 * ring.length);
        for (let k = 0; k < ring.length; k++) {
          const lng = ring[k][0];
          const lat = ring[k][1];
          if (lng < west) west = lng;
          if (lng > east) east = lng;
          if (lat < south) south = lat;
          if (lat > north) north = lat;
          project(lng, lat, p);
          const x = p[0];
          const y = p[1];
          xy[2 * k] = x;
          xy[2 * k + 1] = y;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
        rings.push(xy);
      }
    }
    regions.push({ id: idOf(f), rings, minX, minY, maxX, maxY, fill: null, path: null, lod: null, level: null });
  }
  // Small numbers from here: a path's coordinates are single floats when drawn, too coarse
  // at the world's scale for a close zoom.
  const origin = west <= east && south <= north ? crs.latLngToPoint(L.latLng(north, west), zoom) : L.point(0, 0);
  const { x: ox, y: oy } = origin;
  for (const r of regions) {
    for (const xy of r.rings) {
      for (let k = 0; k < xy.length; k += 2) {
        xy[k] -= ox;
        xy[k + 1] -= oy;
      }
    }
    r.minX -= ox;
    r.maxX -= ox;
    r.minY -= oy;
    r.maxY -= oy;
  }
  return { zoom, origin, bounds: [west, south, east, north], regions };
}
