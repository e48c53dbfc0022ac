import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RENDERERS, createLayer } from '../map/layer.js';

test('createLayer refuses a renderer the server does not name, listing the valid ones', async () => {
  assert.deepEqual(RENDERERS, ['svg', 'canvas']);
  await assert.rejects(createLayer('webgl', null, {}), /renderer: want one of svg, canvas, got webgl/);
  await assert.rejects(createLayer(undefined, null, {}), /got undefined/);
});
