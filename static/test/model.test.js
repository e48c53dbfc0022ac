// The pure modules' own behaviour, beyond the golden cases of rules.test.js.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { changesOfDay } from '../model/changes.js';
import { epochDay, isoDate, onceEach } from '../model/dates.js';
import { linkAt, linksAt } from '../model/links.js';
import { summarize } from '../model/summary.js';
import { fillTemplate } from '../model/template.js';

describe('fillTemplate', () => {
  test('fills every placeholder it has a value for', () => {
    assert.equal(fillTemplate('{a} and {b}, {a} again', { a: 1, b: 'two' }), '1 and two, 1 again');
  });
  test('leaves a placeholder with no value as it is', () => {
    assert.equal(fillTemplate('{date} {lang}', { date: '2021-08-14' }), '2021-08-14 {lang}');
  });
  test('does not fill a value with another value', () => {
    assert.equal(fillTemplate('{a}/{b}', { a: '{b}', b: 'x' }), '{b}/x');
  });
  test('takes only own names, not ones an object inherits', () => {
    assert.equal(fillTemplate('{constructor}', {}), '{constructor}');
  });
  test('an absent template is empty', () => {
    assert.equal(fillTemplate(undefined, { date: 'x' }), '');
  });
});

describe('links', () => {
  test('a template with no placeholder is the link itself', () => {
    assert.equal(linkAt('/embed/ukraine-2022-02-24', '2022-03-01'), '/embed/ukraine-2022-02-24');
  });
  test('no templates, no links', () => {
    assert.deepEqual(linksAt(undefined, '2022-03-01'), {});
  });
});

describe('summarize', () => {
  test('a count that is not a number counts as none', () => {
    const factions = [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }];
    assert.equal(summarize('{faction} {count}', factions, (id) => (id === 'a' ? undefined : 2), 2, ''), 'B 2');
  });
});

describe('dates', () => {
  test('day numbers and dates round-trip across leap years and before 1970', () => {
    for (let day = epochDay('1899-12-25'); day <= epochDay('2101-01-05'); day += 7) {
      assert.equal(epochDay(isoDate(day)), day, isoDate(day));
    }
    assert.equal(epochDay('1970-01-01'), 0);
    assert.equal(epochDay('2000-03-01') - epochDay('2000-02-28'), 2);
    assert.equal(epochDay('1900-03-01') - epochDay('1900-02-28'), 1);
  });
  test('years before 100 are not read as 19xx', () => {
    assert.equal(isoDate(epochDay('0050-03-01')), '0050-03-01');
  });
  test('anything but a real YYYY-MM-DD date is NaN', () => {
    for (const bad of ['2021-02-29', '2021-8-14', '', null, undefined, '2021-08-14Z']) {
      assert.ok(Number.isNaN(epochDay(bad)), String(bad));
    }
  });
});

describe('changesOfDay', () => {
  // A large map's day has hundreds of events and the list shows the first max: each holder
  // asked for is a search of the timeline at every step of a scrub.
  const events = Array.from({ length: 500 }, (_, i) => ({ region: `R${i % 300}`, faction: i % 2 ? 'gold' : 'blue', confidence: 'confirmed' }));
  for (const max of [0, 1, 40, 500]) {
    test(`asks for the holders before of the ${max} events it lists alone`, () => {
      const asked = [];
      const { items, more } = changesOfDay(events, (id) => (asked.push(id), 'green'), max);
      assert.equal(items.length, Math.min(max, events.length));
      assert.equal(more, events.length - items.length);
      // Regions R0..R299 come first; past them, a listed region's holder is its earlier event's.
      assert.deepEqual(asked, items.slice(0, 300).map((it) => it.id));
      if (max === 500) assert.equal(items[300].from, 'blue'); // R0's first event (i = 0) gave it to blue
    });
  }
  // A slider's step fills the list's first rows at once and the others after its frame: the
  // first upTo items are worked out alone, as the whole list has them, and more is the same.
  const holders = { R1: 'green', R2: 'gold' };
  const day = [...events.slice(0, 8), ...events.slice(300, 320)]; // R0..R7, then R0..R19 again
  for (const [max, upTo] of [[40, 0], [40, 3], [40, 10], [40, 40], [40, Infinity], [12, 20], [0, 5]]) {
    test(`the first ${upTo} of ${max} items alone`, () => {
      const whole = changesOfDay(day, (id) => holders[id] ?? 'blue', max);
      const asked = [];
      const { items, more } = changesOfDay(day, (id) => (asked.push(id), holders[id] ?? 'blue'), max, upTo);
      const want = whole.items.slice(0, Math.min(upTo, max));
      assert.deepEqual(items, want);
      assert.equal(more, whole.more);
      assert.deepEqual(asked, [...new Set(want.map((it) => it.id))]);
    });
  }
});

test('onceEach: each date\'s label is worked out once, and is the format\'s', () => {
  const asked = [];
  const label = onceEach((iso) => {
    asked.push(iso);
    return `day ${iso}`;
  });
  assert.equal(label('2021-08-14'), 'day 2021-08-14');
  assert.equal(label('2021-08-15'), 'day 2021-08-15');
  assert.equal(label('2021-08-14'), 'day 2021-08-14');
  assert.deepEqual(asked, ['2021-08-14', '2021-08-15']);
});
