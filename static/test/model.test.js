// The pure modules' own behaviour, beyond the golden cases of rules.test.js.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { epochDay, isoDate } from '../model/dates.js';
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
