import assert from 'node:assert/strict';
import { test } from 'node:test';

import { epochDay } from '../model/dates.js';
import { createTimeline } from '../model/timeline.js';
import { Shown } from '../map/shown.js';

// Three regions from 1 to 10 August: A falls to red on the 3rd (claimed), then on the 5th
// for sure; B falls on the 5th; C, a shape the page does not list, on the 2nd.
const data = {
  start: '2021-08-01',
  end: '2021-08-10',
  initial: 'blue',
  factions: [{ id: 'blue' }, { id: 'red' }],
  regions: [{ id: 'A' }, { id: 'B' }],
  events: [
    { region: 'C', faction: 'red', date: '2021-08-02' },
    { region: 'A', faction: 'red', date: '2021-08-03', confidence: 'claimed' },
    { region: 'A', faction: 'red', date: '2021-08-05' },
    { region: 'B', faction: 'red', date: '2021-08-05' },
  ],
};
const day = (iso) => epochDay(iso);

function shownAt(iso) {
  const timeline = createTimeline(data);
  const shown = new Shown(timeline, ['A', 'B']);
  shown.moveTo(day(iso), { force: true });
  return { timeline, shown };
}

test('Shown.moveTo', async (t) => {
  const cases = [
    { name: 'first_move_changes_every_listed_region', from: null, to: '2021-08-01', changed: ['A', 'B'], counts: { blue: 2 } },
    { name: 'a_day_with_no_event_changes_none', from: '2021-08-01', to: '2021-08-02', changed: [], counts: { blue: 2 } },
    { name: 'a_claim_changes_the_region_and_the_counts', from: '2021-08-02', to: '2021-08-03', changed: ['A'], counts: { blue: 1, red: 1 } },
    { name: 'claimed_to_confirmed_changes_the_region_not_the_counts', from: '2021-08-03', to: '2021-08-05', changed: ['A', 'B'], counts: { blue: 0, red: 2 } },
    { name: 'back_in_time', from: '2021-08-10', to: '2021-08-01', changed: ['A', 'B'], counts: { blue: 2, red: 0 } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const timeline = createTimeline(data);
      const shown = new Shown(timeline, ['A', 'B']);
      if (c.from !== null) shown.moveTo(day(c.from), { force: true });
      const changed = shown.moveTo(day(c.to));
      assert.deepEqual([...changed].sort(), c.changed);
      for (const [f, n] of Object.entries(c.counts)) assert.equal(shown.counts.get(f) ?? 0, n, `count of ${f}`);
    });
  }
});

test('Shown.track follows a shape the page does not list, without counting it', () => {
  const { timeline, shown } = shownAt('2021-08-04');
  assert.equal(timeline.factionOf(shown.eventOf('A')), 'red');
  assert.equal(timeline.isClaimed(shown.eventOf('A')), true);
  shown.track(['A', 'C']);
  assert.equal(shown.has('C'), true);
  assert.equal(timeline.factionOf(shown.eventOf('C')), 'red');
  assert.deepEqual(Object.fromEntries(shown.counts), { blue: 1, red: 1 });
  // Once tracked, C is followed back to before its event.
  assert.deepEqual(shown.moveTo(day('2021-08-01')).sort(), ['A', 'C']);
  assert.equal(timeline.factionOf(shown.eventOf('C')), 'blue');
});

test('Shown.eventOf before any move is the initial holding', () => {
  const shown = new Shown(createTimeline(data), ['A']);
  assert.equal(shown.eventOf('A'), -1);
});
