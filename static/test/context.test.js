import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contextStyle } from '../map/context.js';

test('contextStyle', async (t) => {
  const cases = [
    // Land is filled without an outline: its edges along the clip are not coasts.
    { name: 'land_filled_not_stroked', part: 'land', want: { className: 'context-land', stroke: false, fill: true } },
    { name: 'lines_stroked_not_filled', part: 'lines', want: { className: 'context-lines', stroke: true, fill: false } },
    { name: 'unknown_part_is_land', part: undefined, want: { className: 'context-land', stroke: false, fill: true } },
  ];
  for (const tc of cases) {
    await t.test(tc.name, () => {
      const got = contextStyle({ properties: { part: tc.part } });
      assert.deepEqual({ className: got.className, stroke: got.stroke, fill: got.fill }, tc.want);
      assert.equal(got.interactive, false, 'the context takes no clicks');
    });
  }
});
