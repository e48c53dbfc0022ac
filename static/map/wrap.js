// Maps that run across the antimeridian (the US counties with the Aleutians, Fiji, Russia):
// the server says where such a map's span of longitude is centred (the page data's
// wrapCentre, from geo.SpanOf), and every longitude the browser draws, of the region
// shapes, their label points, the places and the land around, is moved by 360° to within
// 180° of it, as the server's pictures move them (geo.Span.Lon). So Leaflet fits the map
// whole, the far islands beside the rest rather than on the far side of the world, and
// takes over from the server's picture without a jump. The shapes are moved here as they
// arrive (start.js's fetchShapes and mapData, context.js), never in the served GeoJSON,
// which keeps RFC 7946's -180..180. A map that does not cross has no wrapCentre: nothing moves.

/**
 * lon moved by 360° to within 180° of centre, in [centre - 180, centre + 180): geo.WrapLon,
 * held to the same golden cases (testdata/rules/antimeridian.json).
 */
export function wrapLon(lon, centre) {
  if (lon < centre - 180) return lon + 360;
  if (lon >= centre + 180) return lon - 360;
  return lon;
}

/**
 * Move every position of a GeoJSON geometry ([lon, lat, ...] arrays) in place. Polygons, all
 * that a layer of regions holds, go through plain loops: this runs once, as the shapes arrive,
 * before the code is optimised: over the 3,230 US counties' 27,794 positions, recursing per
 * position took 9 to 17 ms (median 15), the loops 4 to 9 (median 7; node, a first call each).
 */
function wrapGeometry(g, centre) {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null;
  if (!polygons) {
    wrapPositions(g.coordinates, centre);
    return;
  }
  const [lo, hi] = [centre - 180, centre + 180];
  for (let i = 0; i < polygons.length; i++) {
    const rings = polygons[i];
    for (let j = 0; j < rings.length; j++) {
      const ring = rings[j];
      for (let k = 0; k < ring.length; k++) {
        const lon = ring[k][0];
        // wrapLon, inline.
        if (lon < lo) ring[k][0] = lon + 360;
        else if (lon >= hi) ring[k][0] = lon - 360;
      }
    }
  }
}

/** Move every position of nested GeoJSON coordinates in place (any geometry). */
function wrapPositions(coords, centre) {
  if (typeof coords[0] === 'number') {
    coords[0] = wrapLon(coords[0], centre);
    return;
  }
  for (const c of coords) wrapPositions(c, centre);
}

/** Whether a line of positions runs across the cut opposite centre, its longitudes jumping. */
function torn(line) {
  for (let k = 1; k < line.length; k++) if (Math.abs(line[k][0] - line[k - 1][0]) > 180) return true;
  return false;
}

/**
 * The features of a GeoJSON FeatureCollection with their positions (and a region's label
 * point, properties.label) moved within 180° of centre, in place; the collection as it is
 * when centre is not a number (a map that does not cross). With dropTorn (the land around,
 * which may reach round the world), the rings and lines that then run across the cut, opposite
 * the map, are left out, as the server's pictures leave them out: drawn, each would be a band
 * across the map.
 */
export function wrapFeatures(geojson, centre, { dropTorn = false } = {}) {
  if (typeof centre !== 'number' || !Array.isArray(geojson?.features)) return geojson;
  for (const f of geojson.features) {
    const g = f?.geometry;
    if (!g || !Array.isArray(g.coordinates)) continue;
    wrapGeometry(g, centre);
    const label = f.properties?.label;
    if (Array.isArray(label) && typeof label[0] === 'number') label[0] = wrapLon(label[0], centre);
    if (!dropTorn) continue;
    if (g.type === 'Polygon' || g.type === 'MultiLineString') g.coordinates = g.coordinates.filter((r) => !torn(r));
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((p) => p.filter((r) => !torn(r))).filter((p) => p.length > 0);
    else if (g.type === 'LineString' && torn(g.coordinates)) g.coordinates = [];
  }
  return geojson;
}

/** The page data's places ({lon, lat}) moved within 180° of its wrapCentre, in place. */
export function wrapPlaces(data) {
  const centre = data?.wrapCentre;
  if (typeof centre !== 'number' || !Array.isArray(data.places)) return data;
  for (const p of data.places) if (Number.isFinite(p?.lon)) p.lon = wrapLon(p.lon, centre);
  return data;
}
