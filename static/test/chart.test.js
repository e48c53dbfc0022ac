// The chart's summary helper (static/ui/chart.js's summaryMore): it keeps each series
// point's summary once, so on every day, in any order of days, it must say what the
// series model (static/model/series.js) says for that day.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { epochDay, isoDate } from '../model/dates.js';
import { summaryMore } from '../model/series.js';
import { attachChart } from '../ui/chart.js';

const golden = JSON.parse(readFileSync(new URL('../../testdata/rules/series.json', import.meta.url), 'utf8'));
const factions = golden.map.factions.map((f) => f.id);
const series = {
  factions,
  regions: golden.totals.regions,
  points: golden.points.map((p) => ({ date: p.date, regions: factions.map((f) => p.regions[f]) })),
};
const labels = { summaryClaims: '{faction}: {confirmed} claimed', summarySince: '{change} since {since}' };
const formatDate = (iso) => `label ${iso}`;

// What a summary's more says, as plain data: its templates, each faction's claims and count
// at the change before, and that change's label.
function said(more) {
  return {
    claims: factions.map((f) => more.claimedOf?.(f)),
    claimsTemplate: more.claimsTemplate,
    before: more.before ? { counts: factions.map((f) => more.before.countOf(f)), label: more.before.label } : null,
    sinceTemplate: more.sinceTemplate,
  };
}

test('the summary on every day, back and forth, is the model\'s for that day', async () => {
  let arrived;
  const ready = new Promise((resolve) => (arrived = resolve));
  const chart = attachChart({ root: null, data: { series }, days: 0, onSeries: () => arrived() });
  assert.deepEqual(chart.summaryMore('2021-03-01', labels, formatDate), {}, 'nothing before the series has arrived');
  await ready;
  const first = epochDay(golden.map.start) - 1; // a day before the range: no point in force
  const last = epochDay(golden.map.end);
  const days = [];
  for (let d = first; d <= last; d++) days.push(d);
  // Forwards, then backwards, then every other day: a point's kept summary is never another's.
  for (const d of [...days, ...days.toReversed(), ...days.filter((_, i) => i % 2 === 0)]) {
    const iso = isoDate(d);
    assert.deepEqual(said(chart.summaryMore(iso, labels, formatDate)), said(summaryMore(series, iso, labels, formatDate)), iso);
  }
});
