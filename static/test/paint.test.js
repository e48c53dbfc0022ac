import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FALLBACK_COLOR, createFactions, hatchTile, parseHatch, patternMatrix } from '../map/paint.js';

const good = { period: 8, stripe: 4, angle: 45, ground: '#f6f5f1' };

test('parseHatch', async (t) => {
  const cases = [
    { name: 'the server default', raw: good, want: good },
    { name: 'extra fields dropped', raw: { ...good, key: '#7b838c' }, want: good },
    { name: 'missing', raw: undefined, error: /want \{period, stripe, angle, ground\}/ },
    { name: 'period_zero', raw: { ...good, period: 0 }, error: /hatch\.period: want a number of pixels > 0, got 0/ },
    { name: 'period_string', raw: { ...good, period: '8' }, error: /hatch\.period/ },
    { name: 'stripe_as_wide_as_period', raw: { ...good, stripe: 8 }, error: /hatch\.stripe: want a number of pixels between 0 and the period \(8\), got 8/ },
    { name: 'stripe_negative', raw: { ...good, stripe: -1 }, error: /hatch\.stripe/ },
    { name: 'angle_missing', raw: { ...good, angle: undefined }, error: /hatch\.angle: want degrees/ },
    { name: 'ground_not_a_colour', raw: { ...good, ground: 'url(x)' }, error: /hatch\.ground: want a #rrggbb colour, got url\(x\)/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error) assert.throws(() => parseHatch(c.raw), c.error);
      else assert.deepEqual(parseHatch(c.raw), c.want);
    });
  }
});

test('hatchTile', async (t) => {
  const cases = [
    // At a multiple of 45° the tile holds its stripes turned already, repeating every
    // period / max(|cos|, |sin|) screen pixels; four tile pixels a screen pixel.
    { name: 'turned_45_drawn_turned', hatch: good, want: { side: 8 * Math.SQRT2, size: 46, turn: false } },
    { name: 'upright', hatch: { ...good, angle: 0 }, want: { side: 8, size: 32, turn: false } },
    { name: 'quarter_turn', hatch: { ...good, angle: 90 }, want: { side: 8, size: 32, turn: false } },
    { name: 'minus_45', hatch: { ...good, angle: -45 }, want: { side: 8 * Math.SQRT2, size: 46, turn: false } },
    // Any other angle: the upright tile, which the pattern's transform turns.
    { name: 'thirty_degrees_turned_by_the_pattern', hatch: { ...good, angle: 30 }, want: { side: 8, size: 32, turn: true } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = hatchTile(c.hatch);
      assert.equal(got.size, c.want.size);
      assert.equal(got.turn, c.want.turn);
      assert.ok(Math.abs(got.side - c.want.side) < 1e-9, `side ${got.side}, want ${c.want.side}`);
    });
  }
});

test('patternMatrix', async (t) => {
  const k45 = (8 * Math.SQRT2) / 46;
  const cos30 = Math.cos(Math.PI / 6);
  const cases = [
    { name: 'turned_45_is_scaled_only', hatch: good, scale: 1, want: [k45, 0, 0, k45, 0, 0] },
    // The context is scaled by 4: the pattern by 1/4, so stripes keep their size on screen.
    { name: 'turned_45_unscaled', hatch: good, scale: 4, want: [k45 / 4, 0, 0, k45 / 4, 0, 0] },
    { name: 'upright_at_scale_2', hatch: { ...good, angle: 0 }, scale: 2, want: [0.125, 0, 0, 0.125, 0, 0] },
    { name: 'thirty_degrees_turned', hatch: { ...good, angle: 30 }, scale: 1, want: [cos30 / 4, 0.5 / 4, -0.5 / 4, cos30 / 4, 0, 0] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = patternMatrix(c.hatch, c.scale);
      assert.equal(got.length, 6);
      got.forEach((v, i) => assert.ok(Math.abs(v - c.want[i]) < 1e-12, `element ${i}: got ${v}, want ${c.want[i]}`));
    });
  }
});

test('createFactions', async (t) => {
  const factions = createFactions([
    { id: 'gov', name: 'Government', color: '#2f6db5' },
    { id: 7, name: 'Numbered', color: '#abc' },
    { id: 'bad', name: 'Bad colour', color: 'red; background: url(x)' },
  ]);
  await t.test('display_order', () => assert.deepEqual([...factions.byId.keys()], ['gov', '7', 'bad']));
  const cases = [
    { name: 'known', id: 'gov', color: '#2f6db5', label: 'Government' },
    { name: 'numeric_id_as_string', id: '7', color: '#abc', label: 'Numbered' },
    { name: 'bad_colour_falls_back', id: 'bad', color: FALLBACK_COLOR, label: 'Bad colour' },
    { name: 'unknown_faction_named_by_its_id', id: 'ghost', color: FALLBACK_COLOR, label: 'ghost' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(factions.colorOf(c.id), c.color);
      assert.equal(factions.nameOf(c.id), c.label);
    });
  }
  await t.test('no_factions', () => assert.deepEqual([...createFactions(undefined).byId.keys()], []));
});
