// The canvas layer's region outlines (./canvas-layer.js): each ring projected once into
// pixels at one zoom, as a flat array [x0, y0, x1, y1, ...], and drawn at the detail the
// view needs. A world of admin-1 regions holds about 300,000 vertices; at the zoom that
// shows the whole world most of them are closer than a pixel to the one before, and
// rasterising them is most of what filling a region costs. So each zoom level gets its
// paths with the positions less than half a pixel from the last one kept dropped, built
// when the view first needs that level, and the full detail is kept for hit testing.

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
