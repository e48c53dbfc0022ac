// The names a screen reader hears for the map's regions and places (model/summary.js), and
// the keyboard list's moves (map/keys.js).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { rovingIndex } from '../map/keys.js';
import { holdingName } from '../model/summary.js';

describe('holdingName', () => {
  const cases = [
    {
      name: 'a region held on a confirmed event',
      in: { name: 'Kabul', faction: 'Taliban', claimed: false, since: '15 August 2021' },
      want: 'Kabul: Taliban, confirmed since 15 August 2021',
    },
    {
      name: 'a claim says so',
      in: { name: 'Kapisa', faction: 'Taliban', claimed: true, since: '15 August 2021' },
      want: 'Kapisa: Taliban, claimed since 15 August 2021',
    },
    {
      name: 'a place names its kind, apart from the region of its name',
      in: { name: 'Kabul', kind: 'capital', faction: 'Islamic Republic of Afghanistan', since: '1 August 2021' },
      want: 'Kabul (capital): Islamic Republic of Afghanistan, confirmed since 1 August 2021',
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(holdingName(c.in), c.want));
});

describe('rovingIndex', () => {
  const cases = [
    ['ArrowDown', 0, 5, 1],
    ['ArrowRight', 4, 5, 0],
    ['ArrowUp', 0, 5, 4],
    ['ArrowLeft', 2, 5, 1],
    ['Home', 3, 5, 0],
    ['End', 1, 5, 4],
    ['PageDown', 1, 30, 11],
    ['PageDown', 25, 30, 29],
    ['PageUp', 5, 30, 0],
    ['Enter', 2, 5, -1],
    ['a', 2, 5, -1],
    ['ArrowDown', 0, 0, -1],
  ];
  for (const [key, from, count, want] of cases) {
    test(`${key} from ${from} of ${count} -> ${want}`, () => assert.equal(rovingIndex(key, from, count), want));
  }
});
