import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tileRuns } from '../map/tiles.js';

test('tileRuns covers the boxes with runs of whole tiles, each tile once, cut at the edges', () => {
  const cases = [
    { name: 'nothing changed', boxes: [], want: [] },
    { name: 'an empty box is skipped', boxes: [[5, 5, 5, 9]], want: [] },
    { name: 'one box inside a tile', boxes: [[3, 3, 7, 7]], want: [[0, 0, 10, 10]] },
    { name: 'a box across two tiles of a row is one run', boxes: [[8, 2, 12, 4]], want: [[0, 0, 20, 10]] },
    {
      name: 'overlapping boxes copy each tile once, rows apart',
      boxes: [[1, 1, 9, 9], [2, 2, 8, 8], [1, 12, 4, 14]],
      want: [[0, 0, 10, 10], [0, 10, 10, 10]],
    },
    { name: 'the last tile is cut at the canvas edge', boxes: [[95, 55, 100, 60]], want: [[90, 50, 10, 10]] },
    { name: 'tiles apart in a row are runs apart', boxes: [[1, 1, 2, 2], [41, 1, 42, 2]], want: [[0, 0, 10, 10], [40, 0, 10, 10]] },
  ];
  for (const { name, boxes, want } of cases) assert.deepEqual(tileRuns(boxes, 100, 60, 10), want, name);
});

test('tileRuns gives null when the tiles would cover over half the canvas', () => {
  assert.equal(tileRuns([[0, 0, 100, 31]], 100, 60, 10), null, 'four rows of ten tiles');
  assert.deepEqual(tileRuns([[0, 0, 100, 30]], 100, 60, 10).length, 3, 'three rows of ten: half, not over');
});
