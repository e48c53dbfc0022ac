import assert from 'node:assert/strict';
import { test } from 'node:test';

import { byPriority, placeLabels } from '../map/places.js';

test('placeLabels', async (t) => {
  const c = (id, x, y, text = 'Name') => ({ id, x, y, r: 5, text });
  const cases = [
    { name: 'apart_all_shown', candidates: [c('a', 10, 10), c('b', 10, 60)], want: ['a', 'b'] },
    // b's label would sit on a's: the first in priority keeps its label.
    { name: 'collision_first_wins', candidates: [c('a', 10, 10), c('b', 20, 24)], want: ['a'] },
    { name: 'outside_the_box', candidates: [c('a', 100, 10, 'A name far too long for either side of the box')], want: [] },
    { name: 'cut_at_the_top', candidates: [c('a', 10, 2)], want: [] },
    { name: 'measured_width', candidates: [{ ...c('a', 10, 50), w: 195 }], want: [] },
    // a's label may cover b's marker; b's may not cover a's, nor a's label, on either side.
    { name: 'over_a_lesser_marker_only', candidates: [c('a', 100, 40), c('b', 115, 40)], want: ['a'] },
  ];
  for (const tc of cases) {
    await t.test(tc.name, () => assert.deepEqual([...placeLabels(tc.candidates, [200, 100]).keys()], tc.want));
  }
  await t.test('right_to_left_labels_sit_left_first', () => {
    assert.deepEqual([...placeLabels([c('a', 190, 50)], [200, 100], { rtl: true })], [['a', 'left']]);
    assert.deepEqual([...placeLabels([c('a', 100, 50)], [200, 100], { rtl: true })], [['a', 'left']]);
    assert.deepEqual([...placeLabels([c('a', 10, 50)], [200, 100], { rtl: true })], [['a', 'right']]);
  });
  await t.test('the_other_side_when_the_first_is_taken', () => {
    assert.deepEqual([...placeLabels([c('b', 140, 50), c('a', 100, 50)], [200, 100])], [['b', 'right'], ['a', 'left']]);
    assert.deepEqual([...placeLabels([c('a', 190, 50)], [200, 100])], [['a', 'left']]);
  });
});

test('byPriority', () => {
  const places = [
    { id: 'town', kind: 'town' },
    { id: 'small', kind: 'capital', population: 10 },
    { id: 'big', kind: 'capital', population: 1000 },
    { id: 'district' },
  ];
  assert.deepEqual(byPriority(places).map((p) => p.id), ['big', 'small', 'town', 'district']);
});
