// The shared rules against their golden cases (testdata/rules/*.json), in the browser's
// modules; web/rules_test.go and data/rules_test.go check the same cases on the server.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { BORDERS_FROM_PX, BORDERS_WHOLE_PX, bordersOpacity } from '../map/paint.js';
import { placeLabels } from '../map/places.js';
import { projector } from '../map/paths.js';
import { wrapLon } from '../map/wrap.js';
import { epochDay, formatDate } from '../model/dates.js';
import { compareDays, formatDelta } from '../model/compare.js';
import { DATE_PLACEHOLDER, linkAt, linksAt } from '../model/links.js';
import { changesOfDay } from '../model/changes.js';
import { describeChange, summarizeChanges } from '../model/preview.js';
import { summarize } from '../model/summary.js';
import { createTimeline } from '../model/timeline.js';

/** The parsed testdata/rules/NAME.json. */
function golden(name) {
  return JSON.parse(readFileSync(new URL(`../../testdata/rules/${name}.json`, import.meta.url), 'utf8'));
}

describe('state at a date (state.json)', () => {
  const { map, events, cases } = golden('state');
  // The events as the page carries them, in recording order: the timeline must order them.
  const timeline = createTimeline({ ...map, events });
  for (const c of cases) {
    test(c.name, () => {
      const day = epochDay(c.date);
      const holders = {};
      for (const id of Object.keys(c.holders)) holders[id] = timeline.holder(id, day);
      assert.deepEqual(holders, c.holders);
      const { regions, counts } = timeline.state(day);
      assert.deepEqual(counts, c.counts);
      assert.deepEqual(regions, Object.fromEntries(Object.entries(c.holders).map(([id, h]) => [id, h.faction])));
    });
  }
});

describe('date labels (dates.json)', () => {
  const { formats, cases } = golden('dates');
  for (const c of cases) {
    const fmt = formats[`${c.lang ?? 'en'}/${c.calendar ?? 'gregorian'}`];
    test(`${c.lang ?? 'en'}/${c.calendar ?? 'gregorian'} ${JSON.stringify(c.date)}`, () => {
      if (c.label === null) assert.throws(() => formatDate(c.date, fmt), RangeError);
      else assert.equal(formatDate(c.date, fmt), c.label);
    });
  }
});

describe('summary sentence (summary.json)', () => {
  const { templates, claimsTemplates, sinceTemplates, cases } = golden('summary');
  const { formats } = golden('dates');
  for (const c of cases) {
    test(c.name, () => {
      const lang = c.lang ?? 'en';
      const before = c.before ? { countOf: (id) => c.before.counts[id] ?? 0, label: c.before.label } : null;
      const got = summarize(templates[lang], c.factions, (id) => c.counts[id] ?? 0, c.total, c.label, {
        claimedOf: (id) => c.claimed?.[id] ?? 0, claimsTemplate: claimsTemplates[lang], before, sinceTemplate: sinceTemplates[lang],
        fmt: formats[`${lang}/gregorian`],
      });
      assert.equal(got, c.want);
    });
  }
});

describe('change preview (preview.json)', () => {
  const { words, factions, cases } = golden('preview');
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(describeChange(words, factions, { region: c.region, held: c.held, corrects: c.corrects, ...c.change }), c.want);
    });
  }
  for (const c of golden('preview').summaries) {
    test(`summary: ${c.name}`, () => assert.equal(summarizeChanges(words, c.total, c.unchanged), c.want));
  }
});

describe('links that follow the slider (links.json)', () => {
  const { placeholder, cases } = golden('links');
  test('the placeholder is the server\'s', () => assert.equal(DATE_PLACEHOLDER, placeholder));
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(linksAt(c.templates, c.date, c.compare), c.want);
      for (const [name, template] of Object.entries(c.templates)) {
        assert.equal(linkAt(template, c.date, c.compare), c.want[name], name);
      }
    });
  }
});

describe('longitudes across the antimeridian (antimeridian.json)', () => {
  for (const c of golden('antimeridian').cases) {
    test(c.name, () => {
      assert.equal(wrapLon(c.lon, c.centre), c.want);
    });
  }
});

describe('Web Mercator pixels (mercator.json)', () => {
  // Leaflet's default CRS, which the projector computes inline.
  const crs = {};
  const L = { CRS: { EPSG3857: crs } };
  for (const c of golden('mercator').cases) {
    test(c.name, () => {
      const [x, y] = projector(L, crs, c.zoom)(c.lon, c.lat);
      assert.ok(Math.abs(x - c.want[0]) <= 1e-6 && Math.abs(y - c.want[1]) <= 1e-6, `${x}, ${y}: want ${c.want}`);
    });
  }
});

describe('the borders between regions (borders.json)', () => {
  const rules = golden('borders');
  test('the thresholds', () => {
    assert.deepEqual([BORDERS_FROM_PX, BORDERS_WHOLE_PX], [rules.from_px, rules.whole_px]);
  });
  for (const c of rules.cases) {
    test(c.name, () => {
      assert.equal(bordersOpacity(c.size), c.want);
    });
  }
});

describe('place labels (place_labels.json)', () => {
  for (const c of golden('place_labels').cases) {
    test(c.name, () => {
      assert.deepEqual(Object.fromEntries(placeLabels(c.candidates, c.size, { rtl: c.rtl, avoid: (c.avoid ?? []).map(([x0, y0, x1, y1]) => ({ x0, y0, x1, y1 })) })), c.shown);
    });
  }
});

describe('what changed on a day (changes.json)', () => {
  for (const c of golden('changes').cases) {
    test(c.name, () => {
      const got = changesOfDay(c.events, (id) => c.before[id] ?? c.initial, c.max);
      assert.deepEqual(got, c.want);
    });
  }
});

describe('two dates compared (compare.json)', () => {
  const { map, events, cases } = golden('compare');
  const timeline = createTimeline({ ...map, events });
  for (const c of cases) {
    test(c.name, () => {
      const got = compareDays(timeline, map.factions, epochDay(c.from), epochDay(c.to));
      assert.deepEqual(got, { regions: c.regions, places: [], deltas: c.deltas });
    });
  }
  for (const c of golden('compare').deltaLabels) {
    test(`delta ${c.n} reads ${c.label}`, () => assert.equal(formatDelta(c.n), c.label));
  }
});
