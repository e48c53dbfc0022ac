// The live inline map's zoom keys (map/live-view.js), as Leaflet's keyboard handler has them.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { zoomKey } from '../map/live-view.js';

test('zoomKey', async (t) => {
  const cases = [
    { name: '= zooms in a level', e: { key: '=' }, want: 1 },
    { name: '+ zooms in a level', e: { key: '+' }, want: 1 },
    { name: '- zooms out a level', e: { key: '-' }, want: -1 },
    { name: '_ zooms out a level', e: { key: '_' }, want: -1 },
    { name: 'with Shift, three levels, as Leaflet', e: { key: '+', shiftKey: true }, want: 3 },
    { name: 'Shift and - out three', e: { key: '_', shiftKey: true }, want: -3 },
    { name: "Control with + is the browser's zoom", e: { key: '+', ctrlKey: true }, want: 0 },
    { name: 'Meta with - is the browser\'s zoom', e: { key: '-', metaKey: true }, want: 0 },
    { name: 'Alt with = is not ours', e: { key: '=', altKey: true }, want: 0 },
    { name: 'another key', e: { key: 'ArrowRight' }, want: 0 },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(zoomKey(c.e), c.want));
});
