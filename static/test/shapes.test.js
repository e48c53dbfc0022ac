// The canvas layer's projected shapes (map/shapes.js) read back against the GeoJSON they were
// projected from (testdata/rules/projected.json, whose bytes geo.ProjectedShapes writes), and
// map/paths.js's regionsOf, which takes them as they are or projects GeoJSON alike.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { projector, regionsOf } from '../map/paths.js';
import { decodeShapes, unprojector } from '../map/shapes.js';
import { wrapFeatures } from '../map/wrap.js';

const rules = JSON.parse(readFileSync(new URL('../../testdata/rules/projected.json', import.meta.url), 'utf8'));
const centre = (rules.span[0] + rules.span[1]) / 2;
const bytes = () => {
  const b = Buffer.from(rules.shapes, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const geojson = () => wrapFeatures(structuredClone(rules.geojson), centre);

// Leaflet's part that regionsOf uses: its Web Mercator CRS and its point and latLng.
const crs = { latLngToPoint: (ll, zoom) => ((p) => ({ x: p[0], y: p[1] }))(projector(L, crs, zoom)(ll.lng, ll.lat)) };
const L = { CRS: { EPSG3857: crs }, point: (x, y) => ({ x, y }), latLng: (lat, lng) => ({ lat, lng }) };
const idOf = (f) => f.id;

const near = (got, want, eps, what) => {
  assert.equal(got.length, want.length, `${what}: ${got.length} numbers, want ${want.length}`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= eps, `${what}[${i}]: ${got[i]}, want ${want[i]}`);
};

test('decodeShapes reads each region as its GeoJSON says: id, rings in pixels from the origin, box, label, capital', () => {
  const { features } = decodeShapes(bytes());
  const want = geojson().features;
  assert.deepEqual(features.map((f) => f.id), want.map((f) => f.id));
  const { frame } = features[0].projected;
  assert.equal(frame.zoom, 8);
  const project = projector(L, crs, frame.zoom);
  for (const [i, f] of features.entries()) {
    const g = want[i].geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const rings = polygons.flat(1).map((ring) => ring.flatMap(([lon, lat]) => ((p) => [p[0] - frame.origin[0], p[1] - frame.origin[1]])(project(lon, lat))));
    assert.equal(f.projected.rings.length, rings.length, `${f.id}: rings`);
    rings.forEach((ring, k) => near(f.projected.rings[k], ring, 1e-3, `${f.id} ring ${k}`));
    const lons = polygons.flatMap((p) => p[0].map((pt) => pt[0]));
    const lats = polygons.flatMap((p) => p[0].map((pt) => pt[1]));
    near(f.bbox, [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], 1e-6, `${f.id} bbox`);
    const xs = rings.flatMap((r) => r.filter((_, k) => k % 2 === 0));
    const ys = rings.flatMap((r) => r.filter((_, k) => k % 2 === 1));
    near([f.projected.minX, f.projected.minY, f.projected.maxX, f.projected.maxY], [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], 1e-3, `${f.id} box`);
    if (want[i].properties.label) near(f.properties.label, want[i].properties.label, 1e-4, `${f.id} label`);
    else assert.equal(f.properties.label, undefined, `${f.id} has no label`);
    assert.equal(f.properties.capital, want[i].properties.capital);
  }
  // The far side of the antimeridian drawn east of it, as the GeoJSON is (map/wrap.js).
  near(frame.bounds, [177, -19, 182, -16], 0, 'bounds');
});

test('decodeShapes refuses what is not projected shapes', () => {
  assert.throws(() => decodeShapes(new TextEncoder().encode('{"type": "FeatureCollection"}').buffer), /FLS1/);
});

test('unprojector undoes the projector', () => {
  const project = projector(L, crs, 8);
  const origin = project(-120, 50);
  const unproject = unprojector(8, origin);
  for (const [lon, lat] of [[-120, 50], [0, 0], [179.9, -80], [-187.5, 52]]) {
    const [x, y] = project(lon, lat);
    near(unproject(x - origin[0], y - origin[1]), [lon, lat], 1e-9, `${lon}, ${lat}`);
  }
});

test('regionsOf takes projected shapes as they are, and projects GeoJSON alike', () => {
  const fromServer = regionsOf(decodeShapes(bytes()).features, { L, crs, idOf, zoom: 8 });
  const fromGeoJSON = regionsOf(geojson().features, { L, crs, idOf, zoom: 8 });
  assert.equal(fromServer.zoom, 8);
  near([fromServer.origin.x, fromServer.origin.y], [fromGeoJSON.origin.x, fromGeoJSON.origin.y], 1e-6, 'origin');
  near(fromServer.bounds, fromGeoJSON.bounds, 0, 'bounds');
  assert.deepEqual(fromServer.regions.map((r) => r.id), ['fj-west', 'fj-east']);
  for (const [i, r] of fromServer.regions.entries()) {
    const g = fromGeoJSON.regions[i];
    assert.equal(r.rings.length, g.rings.length);
    r.rings.forEach((ring, k) => near(ring, g.rings[k], 1e-3, `${r.id} ring ${k}`));
    near([r.minX, r.minY, r.maxX, r.maxY], [g.minX, g.minY, g.maxX, g.maxY], 1e-3, `${r.id} box`);
  }
  // The server's arrays themselves: nothing copied.
  const decoded = decodeShapes(bytes()).features;
  assert.equal(regionsOf(decoded, { L, crs, idOf, zoom: 8 }).regions[0].rings[0], decoded[0].projected.rings[0]);
  assert.throws(() => regionsOf(decoded, { L, crs: {}, idOf, zoom: 8 }), /Web Mercator/);
});
