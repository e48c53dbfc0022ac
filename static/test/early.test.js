// The light map's early script (static/map/early.js): testdata/rules/early.json's table, as
// the server writes it for the built-in map, gives the golden fills at each case's slider
// position; web/early_map_test.go holds the server's table and its inline map to the same.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { fillsAt, loadModulesLater, MODULES_FALLBACK_MS } from '../map/early.js';

const rules = JSON.parse(readFileSync(new URL('../../testdata/rules/early.json', import.meta.url), 'utf8'));

for (const c of rules.cases) {
  test(`early fills: ${c.name}`, () => {
    const { regions, places, fills: fillsOf, markers: markersOf } = rules.table;
    const fills = {};
    const markers = {};
    for (const [i, f] of fillsAt(rules.table, c.position)) {
      if (i < regions.length) fills[regions[i]] = fillsOf[f];
      else markers[places[i - regions.length]] = markersOf[f];
    }
    assert.deepEqual(fills, c.fills);
    assert.deepEqual(markers, c.markers);
  });
}

test('early fills: the first step paints every region and place, later ones only what changes', () => {
  const [first, ...rest] = rules.table.steps;
  assert.equal(first[0], 0);
  assert.equal((first.length - 1) / 2, rules.table.regions.length + rules.table.places.length);
  for (const step of rest) assert.ok(step.length < first.length, `step at ${step[0]} repaints every region`);
});

// A document just big enough for loadModulesLater: its template's nodes, what the head
// gains, and the frame callback and timer it asks for, run when the test says.
function pageWithModulesLater() {
  const node = (localName, attrs) => ({ localName, getAttribute: (n) => attrs[n] ?? null });
  const children = [
    node('link', { rel: 'modulepreload', href: '/static/chunks/a.js' }),
    node('script', { type: 'module', src: '/static/map.js' }),
    node('script', { type: 'module', src: '/static/embed.js' }),
  ];
  const head = [];
  const page = { head, frame: null, timer: null, removed: false };
  const win = {
    requestAnimationFrame: (f) => { page.frame = f; },
    setTimeout: (f, ms) => { page.timer = { f, ms }; },
  };
  page.doc = {
    defaultView: win,
    head: { append: (n) => head.push(n) },
    getElementById: (id) => (id === 'modules-later' && !page.removed ? { content: { children }, remove: () => { page.removed = true; } } : null),
    importNode: (n) => ({ copied: n.getAttribute('href') }),
    createElement: (localName) => ({ localName }),
  };
  return page;
}

const loadedOf = (head) => head.map((n) => n.copied ?? `${n.type} ${n.src} async=${n.async}`);

test('loadModulesLater: the modules once the first frame is out, in order, not async', async () => {
  const page = pageWithModulesLater();
  loadModulesLater(page.doc);
  assert.deepEqual(page.head, [], 'nothing before the frame');
  page.frame(0);
  // The message posted from the frame's callback, which arrives in a task of its own.
  for (let i = 0; i < 100 && page.head.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const want = ['/static/chunks/a.js', 'module /static/map.js async=false', 'module /static/embed.js async=false'];
  assert.deepEqual(loadedOf(page.head), want);
  assert.ok(page.removed, 'the template goes');
  page.timer.f(); // the fallback, later: nothing twice
  assert.deepEqual(loadedOf(page.head), want);
});

test('loadModulesLater: a page that draws no frame loads them after the fallback', () => {
  const page = pageWithModulesLater();
  loadModulesLater(page.doc);
  assert.equal(page.timer.ms, MODULES_FALLBACK_MS);
  page.timer.f();
  assert.equal(page.head.length, 3);
});

test('loadModulesLater: a page without the template loads nothing', () => {
  const page = pageWithModulesLater();
  page.removed = true;
  loadModulesLater(page.doc);
  assert.equal(page.frame, null);
  assert.equal(page.timer, null);
});
