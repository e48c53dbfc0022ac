import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FALLBACK_COLOR, createFactions } from '../map/colors.js';

test('createFactions', async (t) => {
  const factions = createFactions([
    { id: 'gov', name: 'Government', color: '#2f6db5' },
    { id: 7, name: 'Numbered', color: '#abc' },
    { id: 'bad', name: 'Bad colour', color: 'red; background: url(x)' },
  ]);
  await t.test('display_order', () => assert.deepEqual([...factions.byId.keys()], ['gov', '7', 'bad']));
  const cases = [
    { name: 'known', id: 'gov', color: '#2f6db5', label: 'Government' },
    { name: 'numeric_id_as_string', id: '7', color: '#abc', label: 'Numbered' },
    { name: 'bad_colour_falls_back', id: 'bad', color: FALLBACK_COLOR, label: 'Bad colour' },
    { name: 'unknown_faction_named_by_its_id', id: 'ghost', color: FALLBACK_COLOR, label: 'ghost' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(factions.colorOf(c.id), c.color);
      assert.equal(factions.nameOf(c.id), c.label);
    });
  }
  await t.test('no_factions', () => assert.deepEqual([...createFactions(undefined).byId.keys()], []));
});
