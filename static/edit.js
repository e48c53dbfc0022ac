// Frontline change form: clicking regions on the map chooses them (a second click leaves one
// out), the chosen regions show as removable chips, the map follows the form's date, and
// the preview says what saving would do to each region before the editor saves.
// Without this script the form is a plain form with a multi-select list of regions, and the
// server renders the same preview on "Preview". The map is static/map.js's, once it has
// started, used only through its public API (holder, select, setDate, ready, and the
// frontline:regionclick event).

import { started } from './map.js';
import { drawChips } from './edit/chips.js';
import { describeChanges, syncRegions, toggleRegion } from './edit/changes.js';

const form = document.getElementById('event-form');
const dataNode = document.getElementById('map-data');
const map = form && dataNode ? await started : null;

if (map) {
  const data = JSON.parse(dataNode.textContent);
  const names = new Map((data.regions ?? []).map((r) => [String(r.id), r.name]));
  const field = (name) => form.elements.namedItem(name);
  const select = field('region');
  const options = [...select.options].filter((o) => o.value !== '');
  for (const o of options) if (!names.has(o.value)) names.set(o.value, o.textContent);
  const preview = document.getElementById('change-preview');
  const chips = document.getElementById('region-chips');
  // A correction is of one region: the list is a plain one-choice list.
  const many = select.multiple;
  const corrects = form.dataset.correctsFaction
    ? { faction: form.dataset.correctsFaction, date: form.dataset.correctsDate, confidence: form.dataset.correctsConfidence }
    : undefined;

  // The regions chosen, in the order chosen; the list's selection follows it.
  let chosen = options.filter((o) => o.selected).map((o) => o.value);

  function choose(ids, last = null) {
    chosen = many ? ids : ids.slice(-1);
    const set = new Set(chosen);
    if (many) for (const o of options) o.selected = set.has(o.value);
    else select.value = chosen[0] ?? '';
    if (chips) drawChips(chips, many ? chosen : [], names, (id) => choose(chosen.filter((x) => x !== id)), data.labels?.preview?.remove);
    // The map outlines one region: the one just chosen, else the last chosen.
    map.select(last !== null && set.has(last) ? last : chosen.at(-1) ?? null);
    update();
  }

  // The sentences are static/model/preview.js's, the same as the server's; this only reads
  // the form and says nothing until the input is complete.
  function update() {
    const faction = field('faction').value;
    const date = field('date').value;
    const confidence = form.querySelector('input[name="confidence"]:checked')?.value ?? 'confirmed';
    const ok = date >= data.start && date <= data.end;
    const { summary, lines } = ok
      ? describeChanges(data.labels?.preview ?? {}, data.factions, names, (id) => map.holder(id, date), chosen, { faction, date, confidence, corrects })
      : { summary: '', lines: [] };
    if (!preview) return;
    const nodes = [];
    if (summary) nodes.push(Object.assign(document.createElement('p'), { className: 'preview-summary', textContent: summary }));
    if (lines.length) {
      const list = Object.assign(document.createElement('ul'), { className: 'preview-list' });
      list.append(...lines.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
      nodes.push(list);
    }
    preview.replaceChildren(...nodes);
  }

  select.addEventListener('change', () => {
    const selected = new Set(options.filter((o) => o.selected).map((o) => o.value));
    choose(syncRegions(chosen, options.map((o) => o.value), selected));
  });
  form.addEventListener('input', (e) => {
    if (e.target !== select) update();
  });
  form.addEventListener('change', (e) => {
    if (e.target === field('date')) {
      try {
        map.setDate(field('date').value);
      } catch {
        // An incomplete or out-of-range date, or a timeline still loading: the field's
        // own validation says the first; the second catches up on ready.
      }
    }
    if (e.target !== select) update();
  });

  document.addEventListener('frontline:regionclick', (e) => {
    const id = String(e.detail.region);
    choose(many ? toggleRegion(chosen, id) : [id], id);
  });
  choose(chosen);
  map.ready.then(update);
}
