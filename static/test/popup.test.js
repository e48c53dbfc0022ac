import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createTimeline } from '../model/timeline.js';
import { matchingEvent, popupMaxHeight } from '../ui/popup.js';

// A large map's page has no sources: the popup asks for the region's events and shows the
// one the timeline's event index stands for.
const data = {
  start: '2024-01-01',
  end: '2024-12-31',
  initial: 'a',
  regions: [{ id: 'R' }],
  events: [
    { region: 'R', faction: 'b', date: '2024-02-01', confidence: 'claimed' },
    { region: 'R', faction: 'b', date: '2024-02-01' },
  ],
};

test('matchingEvent', async (t) => {
  const timeline = createTimeline(data);
  const fetched = [
    { id: 1, date: '2024-02-01', faction: 'b', confidence: 'claimed', source: 'https://example.org/1' },
    { id: 2, date: '2024-02-01', faction: 'b', confidence: 'confirmed', source: 'https://example.org/2' },
    { id: 3, date: '2024-02-01', faction: 'b', source: 'https://example.org/3' }, // no confidence: confirmed
  ];
  const cases = [
    { name: 'claimed_event', ev: 0, events: fetched, want: 1 },
    { name: 'the_last_confirmed_on_its_date', ev: 1, events: fetched, want: 3 },
    { name: 'none_matches', ev: 1, events: [{ id: 9, date: '2024-03-01', faction: 'b' }], want: null },
    { name: 'not_a_list', ev: 1, events: { error: 'x' }, want: null },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.equal(matchingEvent(timeline, c.events, c.ev)?.id ?? null, c.want));
  }
});

test('popupMaxHeight leaves the popup inside the map, and never less than 96 px of content', () => {
  // 406 px: the reader's map on a 375-px phone; 270 px: the embed's.
  assert.equal(popupMaxHeight(406), 406 - 32 - 56);
  assert.equal(popupMaxHeight(270), 270 - 32 - 56);
  assert.equal(popupMaxHeight(100), 96);
});
