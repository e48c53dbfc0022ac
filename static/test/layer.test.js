import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RENDERERS, createLayer } from '../map/layer.js';

test('createLayer refuses a renderer the server does not name, listing the valid ones', async () => {
  assert.deepEqual(RENDERERS, ['svg', 'canvas']);
  await assert.rejects(createLayer('webgl', null, {}), /renderer: want one of svg, canvas, got webgl/);
  await assert.rejects(createLayer(undefined, null, {}), /got undefined/);
});

test('byFill groups the regions that meet the view by fill, in their order, and leaves out the rest', async (t) => {
  const { byFill } = await import('../map/canvas-layer.js');
  const box = (id, fill, minX, minY, maxX, maxY) => ({ id, fill, minX, minY, maxX, maxY });
  const regions = [
    box('a', 'red', 0, 0, 10, 10),
    box('b', 'blue', 20, 0, 30, 10),
    box('c', 'red', 40, 0, 50, 10),
    box('d', 'red', 200, 200, 210, 210), // outside the view
    box('e', 'blue', -20, -20, 0, 0), // touches the view's corner
  ];
  const ids = (groups) => Object.fromEntries([...groups].map(([fill, rs]) => [fill, rs.map((r) => r.id)]));
  const cases = [
    { name: 'whole_view', view: [0, 0, 100, 100], want: { red: ['a', 'c'], blue: ['b', 'e'] } },
    { name: 'part_of_it', view: [15, 0, 35, 10], want: { blue: ['b'] } },
    { name: 'nothing_in_view', view: [500, 500, 600, 600], want: {} },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(ids(byFill(regions, c.view)), c.want));
  }
  // A Set of changed regions works as the list of all of them does.
  assert.deepEqual(ids(byFill(new Set(regions.slice(0, 2)), [0, 0, 100, 100])), { red: ['a'], blue: ['b'] });
});

test('createLayer makes a canvas layer within the microtasks of its call once the module is in', async () => {
  const { CanvasLayer } = await import('../map/canvas-layer.js');
  const { loadCanvasLayer } = await import('../map/layer.js');
  assert.equal((await loadCanvasLayer()).CanvasLayer, CanvasLayer);
  const L = { tooltip: () => ({}) };
  let made = null;
  createLayer('canvas', {}, { L }).then((layer) => (made = layer));
  // Made without a dynamic import's hops (in Chromium a task of their own, and the frame
  // before it held a large map's first draw).
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(made instanceof CanvasLayer);
  let soon = null;
  createLayer('canvas', {}, { L }).then((layer) => (soon = layer));
  await Promise.resolve();
  await Promise.resolve();
  assert.ok(soon instanceof CanvasLayer, 'the layer is made in the next microtasks');
});
