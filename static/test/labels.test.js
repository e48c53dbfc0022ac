import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bboxOf, regionLabels } from '../map/labels.js';

test('regionLabels', async (t) => {
  // A region 100 px wide and 40 tall, its label point at (x, y).
  const c = (id, x, y, w = 40, span = 100, tall = 40) => ({ id, x, y, w, span, tall });
  const cases = [
    { name: 'fits_shown', candidates: [c('a', 50, 50)], want: ['a'] },
    // Shown by size: a name wider than its region on screen waits for a closer zoom.
    { name: 'wider_than_its_region_hidden', candidates: [c('a', 50, 50, 95, 100)], want: [] },
    { name: 'flatter_than_a_line_hidden', candidates: [c('a', 50, 50, 40, 100, 10)], want: [] },
    // The larger region (first in priority) keeps its name when two would collide.
    { name: 'collision_first_wins', candidates: [c('a', 50, 50), c('b', 60, 55)], want: ['a'] },
    { name: 'apart_both_shown', candidates: [c('a', 50, 20), c('b', 50, 80)], want: ['a', 'b'] },
    { name: 'outside_the_box', candidates: [c('a', 190, 50)], want: [] },
  ];
  for (const tc of cases) {
    await t.test(tc.name, () => assert.deepEqual(regionLabels(tc.candidates, [200, 100]), tc.want));
  }
  // Places are labelled first: a region's name never covers a place's marker or label.
  await t.test('places_first', () => {
    const place = { x0: 40, y0: 45, x1: 90, y1: 60 };
    assert.deepEqual(regionLabels([c('a', 50, 50), c('b', 50, 85)], [200, 100], [place]), ['b']);
  });
});

test('bboxOf', async (t) => {
  await t.test('polygon', () => assert.deepEqual(bboxOf({ type: 'Polygon', coordinates: [[[0, 0], [4, 1], [2, 3], [0, 0]]] }), [0, 0, 4, 3]));
  await t.test('multipolygon', () =>
    assert.deepEqual(bboxOf({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, -2], [6, 0], [5, 0], [5, -2]]]] }), [0, -2, 6, 1]));
  await t.test('no_area', () => assert.equal(bboxOf({ type: 'Point', coordinates: [1, 1] }), null));
});
