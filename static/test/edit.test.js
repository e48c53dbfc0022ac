// The change form's pure parts: the preview of several regions and the choice of regions.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { describeChanges, syncRegions, toggleRegion } from '../edit/changes.js';

// The English words, as the change form's page data carries them (the golden cases' own).
const { words } = JSON.parse(readFileSync(new URL('../../testdata/rules/preview.json', import.meta.url), 'utf8'));
const factions = [{ id: 'government', name: 'Government' }, { id: 'taliban', name: 'Taliban' }];
const names = new Map([['AF-KAB', 'Kabul'], ['AF-NIM', 'Nimruz']]);
const held = { 'AF-KAB': { faction: 'government', since: '2021-08-01' }, 'AF-NIM': { faction: 'taliban', since: '2021-08-06' } };

describe('describeChanges', () => {
  test('a sentence per region, in the order chosen, and the summary', () => {
    const got = describeChanges(words, factions, names, (id) => held[id], ['AF-NIM', 'AF-KAB'], { faction: 'taliban', date: '2021-08-10', confidence: 'confirmed' });
    assert.deepEqual(got, {
      summary: '2 regions: 1 change hands, 1 already held (no change on the map).',
      lines: [
        'Nimruz: already held by Taliban since 2021-08-06; the map does not change.',
        'Kabul: Government → Taliban from 2021-08-10 (was Government since 2021-08-01).',
      ],
    });
  });
  test('nothing until the change is complete or the map ready', () => {
    const none = { summary: '', lines: [] };
    assert.deepEqual(describeChanges(words, factions, names, (id) => held[id], [], { faction: 'taliban', date: '2021-08-10' }), none);
    assert.deepEqual(describeChanges(words, factions, names, (id) => held[id], ['AF-KAB'], { faction: '', date: '2021-08-10' }), none);
    assert.deepEqual(describeChanges(words, factions, names, () => null, ['AF-KAB'], { faction: 'taliban', date: '2021-08-10' }), none);
  });
  test('a region the names lack is shown by its id', () => {
    const got = describeChanges(words, factions, names, () => held['AF-KAB'], ['AF-X'], { faction: 'taliban', date: '2021-08-10' });
    assert.equal(got.lines[0].slice(0, 6), 'AF-X: ');
  });
});

describe('choosing regions', () => {
  test('a click adds a region at the end, a second click leaves it out', () => {
    assert.deepEqual(toggleRegion(['a', 'b'], 'c'), ['a', 'b', 'c']);
    assert.deepEqual(toggleRegion(['a', 'b', 'c'], 'b'), ['a', 'c']);
  });
  test('the list keeps the order chosen and adds new ones in its own order', () => {
    assert.deepEqual(syncRegions(['c', 'a'], ['a', 'b', 'c', 'd'], new Set(['a', 'c', 'd', 'b'])), ['c', 'a', 'b', 'd']);
    assert.deepEqual(syncRegions(['c', 'a'], ['a', 'b', 'c'], new Set(['a'])), ['a']);
  });
});
