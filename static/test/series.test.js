// The series model (static/model/series.js) against the golden series (testdata/rules/
// series.json, whose points the server's series has) and the summary it feeds.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { neighbourPoint, pointIndexAt, summaryMore, valuesAt } from '../model/series.js';
import { summarize } from '../model/summary.js';

const golden = JSON.parse(readFileSync(new URL('../../testdata/rules/series.json', import.meta.url), 'utf8'));
const factions = golden.map.factions.map((f) => f.id);
// The golden points as the API sends them: per faction in order, [confirmed, claimed].
const series = {
  factions,
  regions: golden.totals.regions,
  points: golden.points.map((p) => ({
    date: p.date,
    regions: factions.map((f) => p.regions[f]),
    population: factions.map((f) => p.population[f]),
  })),
};

describe('the point in force', () => {
  const cases = [
    ['before the first point', '2021-02-28', -1],
    ['on the first', '2021-03-01', 0],
    ['between points', '2021-03-04', 1],
    ['on a change date', '2021-03-07', 3],
    ['after the last', '2021-03-31', 4],
  ];
  for (const [name, iso, want] of cases) test(name, () => assert.equal(pointIndexAt(series, iso), want));
  test('no series', () => assert.equal(pointIndexAt(null, '2021-03-01'), -1));
});

describe('values at a point', () => {
  test('regions, per faction', () => {
    assert.deepEqual(valuesAt(series, 1), [
      { id: 'gov', confirmed: 2, claimed: 0 }, { id: 'reb', confirmed: 1, claimed: 1 }, { id: 'con', confirmed: 0, claimed: 0 },
    ]);
  });
  test('population', () => assert.deepEqual(valuesAt(series, 4, 'population')[1], { id: 'reb', confirmed: 300, claimed: 50 }));
  test('a measure the series lacks', () => assert.deepEqual(valuesAt(series, 0, 'area'), []));
});

describe('from change to change', () => {
  const cases = [
    ['next from a change date', '2021-03-03', 1, 2],
    ['next from between', '2021-03-04', 1, 2],
    ['none after the last', '2021-03-20', 1, -1],
    ['back from between goes to the point in force', '2021-03-04', -1, 1],
    ['back from a change date', '2021-03-05', -1, 1],
    ['none before the first', '2021-03-01', -1, -1],
  ];
  for (const [name, iso, step, want] of cases) test(name, () => assert.equal(neighbourPoint(series, iso, step), want));
});

describe('the summary from the series', () => {
  const labels = { summary: '{faction}: {count} of {total} regions on {date}.', summaryClaims: '{faction}: {confirmed} of {total} regions confirmed, {count} with claims, on {date}.', summarySince: '{change} since {since}.' };
  const named = golden.map.factions;
  test('claims and the change since the change date before', () => {
    const more = summaryMore(series, '2021-03-09', labels, (iso) => `label ${iso}`);
    const counts = { gov: 1, reb: 3, con: 0 };
    assert.equal(summarize(labels.summary, named, (id) => counts[id], 4, 'label 2021-03-09', more),
      'Rebels: 2 of 4 regions confirmed, 3 with claims, on label 2021-03-09. +1 since label 2021-03-07.');
  });
  test('the first point has nothing before', () => {
    const more = summaryMore(series, '2021-03-01', labels, (iso) => iso);
    assert.equal(more.before, undefined);
  });
  test('no series, no more', () => assert.deepEqual(summaryMore(null, '2021-03-01', labels, (iso) => iso), {}));
});
