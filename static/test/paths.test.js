import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decimate, pathOf, projector, toleranceAt } from '../map/paths.js';

test('decimate drops the positions closer than tol to the last kept, keeping the ends', () => {
  const cases = [
    { name: 'full detail at tol 0', xy: [0, 0, 0.1, 0, 1, 0, 1, 1, 0, 0], tol: 0, want: [0, 0, 0.1, 0, 1, 0, 1, 1, 0, 0] },
    { name: 'a close position dropped', xy: [0, 0, 0.1, 0, 1, 0, 1, 1, 0, 0], tol: 0.5, want: [0, 0, 1, 0, 1, 1, 0, 0] },
    { name: 'three positions are left as they are', xy: [0, 0, 0.1, 0, 0, 0], tol: 5, want: [0, 0, 0.1, 0, 0, 0] },
    { name: 'a ring under a pixel keeps three of its own', xy: [0, 0, 0.1, 0, 0.2, 0.1, 0.1, 0.2, 0, 0.1, 0, 0], tol: 1, want: [0, 0, 0.2, 0.1, 0, 0.1] },
  ];
  for (const { name, xy, tol, want } of cases) assert.deepEqual([...decimate(xy, tol)], want, name);
});

test('pathOf closes each ring of the decimated positions', () => {
  const calls = [];
  class Path {
    moveTo(x, y) { calls.push(['M', x, y]); }
    lineTo(x, y) { calls.push(['L', x, y]); }
    closePath() { calls.push(['Z']); }
  }
  pathOf([new Float64Array([0, 0, 4, 0, 4, 4, 0, 0]), [10, 10, 10.1, 10, 12, 10, 12, 12, 10, 10]], 0.5, Path);
  assert.deepEqual(calls, [
    ['M', 0, 0], ['L', 4, 0], ['L', 4, 4], ['L', 0, 0], ['Z'],
    ['M', 10, 10], ['L', 12, 10], ['L', 12, 12], ['L', 10, 10], ['Z'],
  ]);
});

test('toleranceAt is half a device pixel at the level, in pixels at the paths zoom', () => {
  const cases = [
    [8, 8, 1, 0], [9, 8, 1, 0], [7, 8, 1, 1], [2, 8, 1, 32], [2, 8, 2, 16],
  ];
  for (const [level, from, ratio, want] of cases) assert.equal(toleranceAt(level, from, ratio), want, `level ${level} ratio ${ratio}`);
});

test('projector computes Web Mercator as Leaflet does, and defers to any other CRS', () => {
  const EPSG3857 = {};
  const L = { CRS: { EPSG3857 }, latLng: (lat, lng) => ({ lat, lng }) };
  const project = projector(L, EPSG3857, 0);
  const cases = [
    [0, 0, 128, 128], [180, 0, 256, 128], [-180, 0, 0, 128],
    [0, 85.0511287798, 128, 0], [0, 89, 128, 0], [0, -89, 128, 256],
  ];
  for (const [lng, lat, x, y] of cases) {
    const [px, py] = project(lng, lat);
    assert.ok(Math.abs(px - x) < 1e-6 && Math.abs(py - y) < 1e-6, `${lng}, ${lat}: got ${px}, ${py}, want ${x}, ${y}`);
  }
  const other = { latLngToPoint: ({ lat, lng }, zoom) => ({ x: lng * 2 ** zoom, y: lat }) };
  assert.deepEqual(projector(L, other, 3)(2, 5), [16, 5]);
});
