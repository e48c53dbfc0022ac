import assert from 'node:assert/strict';
import { test } from 'node:test';

import { epochDay, isoDate } from '../model/dates.js';
import { createTimeline } from '../model/timeline.js';

// A timeline of 40 regions over 60 days with 900 events, several a day for a region (the
// later recorded wins), claims, and events before the start; the same every run.
function generated() {
  let seed = 7;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const start = epochDay('2024-01-01');
  const regions = Array.from({ length: 40 }, (_, i) => ({ id: `R${i}` }));
  const events = Array.from({ length: 900 }, () => ({
    region: `R${next(40)}`,
    faction: ['blue', 'gold', 'green'][next(3)],
    date: isoDate(start - 2 + next(62)),
    confidence: next(5) === 0 ? 'claimed' : 'confirmed',
  }));
  events.sort((a, b) => a.date.localeCompare(b.date));
  return createTimeline({ start: '2024-01-01', end: '2024-02-29', initial: 'blue', factions: [], regions, events });
}

test('forEachChange gives each region with an event in between once, with its event on the day moved to', async (t) => {
  const timeline = generated();
  const { startDay, endDay } = timeline;
  const cases = [
    { name: 'a_day_on', from: startDay + 10, to: startDay + 11 },
    { name: 'a_day_back', from: startDay + 11, to: startDay + 10 },
    { name: 'weeks_on', from: startDay + 3, to: startDay + 40 },
    { name: 'weeks_back', from: startDay + 40, to: startDay + 3 },
    { name: 'from_the_start', from: startDay, to: endDay },
    { name: 'back_to_the_start_before_its_first_events', from: endDay, to: startDay },
    { name: 'no_move', from: startDay + 20, to: startDay + 20 },
  ];
  for (let i = 0; i < 40; i++) cases.push({ name: `pair_${i}`, from: startDay + ((i * 17) % 60), to: startDay + ((i * 29 + 5) % 60) });
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = new Map();
      timeline.forEachChange(c.from, c.to, (id, ev) => {
        assert.ok(!got.has(id), `${id} given twice`);
        got.set(id, ev);
      });
      assert.deepEqual([...got.keys()].sort(), [...timeline.changedBetween(c.from, c.to)].sort(), 'the regions');
      for (const [id, ev] of got) assert.equal(ev, timeline.holding(id, c.to), `${id}'s event on day ${c.to - startDay}`);
    });
  }
});
