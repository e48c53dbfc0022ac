// The slider's ticks and the steps from change to change (static/model/ticks.js), from a
// timeline's counts of events per day.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MIN_WEIGHT, changeTicks, nextChange, playStep, previousChange } from '../model/ticks.js';
import { createTimeline } from '../model/timeline.js';

const map = {
  start: '2021-08-01', end: '2021-08-10', initial: 'gov',
  factions: [{ id: 'gov' }, { id: 'tal' }],
  regions: [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }],
};
const ev = (region, date, confidence = 'confirmed') => ({ region, faction: 'tal', date, confidence });

describe('changeTicks', () => {
  test('a tick at every day with an event, none elsewhere', () => {
    const t = createTimeline({ ...map, events: [ev('A', '2021-08-03'), ev('B', '2021-08-03'), ev('C', '2021-08-07')] });
    assert.deepEqual(changeTicks(t.dayCounts()).map(({ index, count }) => [index, count]), [[2, 2], [6, 1]]);
  });
  test('the busiest day weighs 1, a quieter one less but at least MIN_WEIGHT', () => {
    const ticks = changeTicks([0, 4, 0, 1, 0, 0]);
    assert.equal(ticks[0].weight, 1);
    assert.ok(ticks[1].weight >= MIN_WEIGHT && ticks[1].weight < 1, `weight ${ticks[1].weight}`);
  });
  test('weights grow with the count', () => {
    const ticks = changeTicks([1, 2, 9, 100]);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].weight > ticks[i - 1].weight);
  });
  test('an event before the start ticks the first day, where it takes effect', () => {
    const t = createTimeline({ ...map, events: [ev('A', '2021-07-20')] });
    assert.deepEqual(changeTicks(t.dayCounts()).map((x) => x.index), [0]);
  });
  test('an event after the end never shows, and makes no tick', () => {
    const t = createTimeline({ ...map, events: [ev('A', '2021-09-01')] });
    assert.deepEqual(changeTicks(t.dayCounts()), []);
  });
  test('no events, no ticks', () => {
    assert.deepEqual(changeTicks(new Uint32Array(10)), []);
  });
});

describe('from change to change', () => {
  const ticks = changeTicks([0, 0, 3, 0, 1, 0, 0, 2, 0, 0]); // changes on days 2, 4, 7
  const cases = [
    { name: 'next from before the first', index: 0, next: 2, previous: -1 },
    { name: 'next from a change day is the following one', index: 2, next: 4, previous: -1 },
    { name: 'between changes', index: 5, next: 7, previous: 4 },
    { name: 'from the last change', index: 7, next: -1, previous: 4 },
    { name: 'after the last change', index: 9, next: -1, previous: 7 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(nextChange(ticks, c.index), c.next);
      assert.equal(previousChange(ticks, c.index), c.previous);
    });
  }
  test('play by change visits the change days, then the last day', () => {
    const seen = [];
    for (let i = 0; i < 9; ) seen.push((i = playStep(ticks, i, 9, true)));
    assert.deepEqual(seen, [2, 4, 7, 9]);
  });
  test('play by day visits every day and stops at the last', () => {
    assert.equal(playStep(ticks, 3, 9, false), 4);
    assert.equal(playStep(ticks, 9, 9, false), 9);
  });
});

describe('timeline.eventsOn', () => {
  test('the events of one day, in recording order; none outside the range', () => {
    const events = [ev('B', '2021-08-03'), ev('A', '2021-08-05'), ev('C', '2021-08-03', 'claimed')];
    const t = createTimeline({ ...map, events });
    const day = t.startDay + 2;
    assert.deepEqual(t.eventsOn(day).map((i) => [t.regionOf(i), t.isClaimed(i)]), [['B', false], ['C', true]]);
    assert.deepEqual(t.eventsOn(t.startDay - 1), []);
    assert.deepEqual(t.eventsOn(t.endDay + 1), []);
  });
});
