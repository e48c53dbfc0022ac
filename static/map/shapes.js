// A large map's regions as the server projects them for the canvas layer (GET
// /api/maps/{slug}/shapes, geo/projected.go, which has the layout): pixels at one zoom in
// typed arrays over the response's bytes, read without a JSON parse of the shapes or a
// projection of each position here. Made into GeoJSON-like features, so that the page
// handles them as it handles regions.geojson's: each has its id, a `bbox` (RFC 7946's
// [west, south, east, north]), its label point (properties.label) and, in place of a
// geometry, `projected`: its rings and box in the pixels ./paths.js's regionsOf draws from.

const MAGIC = 'FLS1';

/**
 * The features of projected shapes (an ArrayBuffer in the layout of geo/projected.go):
 * a FeatureCollection whose features carry `projected` = {rings (Float32Arrays, flat
 * [x0, y0, ...]), minX, minY, maxX, maxY, frame}, frame = {zoom, origin, bounds} shared by all.
 */
export function decodeShapes(buffer) {
  const bytes = new Uint8Array(buffer);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) throw new Error(`not projected shapes (want ${MAGIC})`);
  const n = new DataView(buffer).getUint32(4, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const count = head.regions.length;
  let offset = (8 + n + 3) & ~3;
  const take = (Type, length) => {
    const a = new Type(buffer, offset, length);
    offset += a.byteLength;
    return a;
  };
  const ringStarts = take(Uint32Array, count + 1);
  const pointStarts = take(Uint32Array, head.rings + 1);
  const xy = take(Float32Array, 2 * head.points);
  const labels = take(Float32Array, 2 * count);
  const frame = { zoom: head.zoom, origin: head.origin, bounds: head.bounds };
  const unproject = unprojector(head.zoom, head.origin);
  const capitals = head.capitals ?? {};
  const features = new Array(count);
  // Once, before the code is optimised: plain loops and indexes, no destructuring (an
  // iterator a time in V8's interpreter: 22 ms of this loop over the 3,230 US counties).
  for (let i = 0; i < count; i++) {
    const rings = [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let r = ringStarts[i]; r < ringStarts[i + 1]; r++) {
      const start = 2 * pointStarts[r];
      const end = 2 * pointStarts[r + 1];
      for (let k = start; k < end; k += 2) {
        const x = xy[k];
        const y = xy[k + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      rings.push(xy.subarray(start, end));
    }
    const id = head.regions[i];
    const sw = unproject(minX, maxY);
    const ne = unproject(maxX, minY);
    const properties = {};
    if (!Number.isNaN(labels[2 * i])) properties.label = [labels[2 * i], labels[2 * i + 1]];
    if (capitals[id]) properties.capital = capitals[id];
    features[i] = { type: 'Feature', id, bbox: [sw[0], sw[1], ne[0], ne[1]], properties, projected: { rings, minX, minY, maxX, maxY, frame } };
  }
  return { type: 'FeatureCollection', features };
}

/**
 * A function (x, y) -> [lng, lat] for pixels at zoom from origin (pixels from the world's
 * north-west corner) in Web Mercator: ./paths.js's projector undone.
 */
export function unprojector(zoom, origin) {
  const size = 256 * 2 ** zoom;
  const ox = origin[0];
  const oy = origin[1];
  return (x, y) => [((x + ox) / size) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + oy)) / size))) * 180) / Math.PI];
}
