// The light map's early script (static/map/early.js): testdata/rules/early.json's table, as
// the server writes it for the built-in map, gives the golden fills at each case's slider
// position; web/early_map_test.go holds the server's table and its inline map to the same.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { fillsAt } from '../map/early.js';

const rules = JSON.parse(readFileSync(new URL('../../testdata/rules/early.json', import.meta.url), 'utf8'));

for (const c of rules.cases) {
  test(`early fills: ${c.name}`, () => {
    const { regions, places, fills: fillsOf, markers: markersOf } = rules.table;
    const fills = {};
    const markers = {};
    for (const [i, f] of fillsAt(rules.table, c.position)) {
      if (i < regions.length) fills[regions[i]] = fillsOf[f];
      else markers[places[i - regions.length]] = markersOf[f];
    }
    assert.deepEqual(fills, c.fills);
    assert.deepEqual(markers, c.markers);
  });
}

test('early fills: the first step paints every region and place, later ones only what changes', () => {
  const [first, ...rest] = rules.table.steps;
  assert.equal(first[0], 0);
  assert.equal((first.length - 1) / 2, rules.table.regions.length + rules.table.places.length);
  for (const step of rest) assert.ok(step.length < first.length, `step at ${step[0]} repaints every region`);
});
