// The comparison with another date (the contract's ?compare=D0) on the map page and the
// embed: the "Compare with…" field and its Clear button, the list of what changed between
// that date and the date shown (server-rendered for readers without JavaScript, kept here at
// the date shown), and the changed regions and places, which the map emphasises. The rule
// is static/model/compare.js's; the legend writes the deltas (ui/legend.js).

import { compareDays } from '../model/compare.js';
import { epochDay, isoDate } from '../model/dates.js';
import { dateProblem, typeDates } from './date-field.js';
import { el, safeHttpUrl, setHidden, setText } from './dom.js';

// Past this many events between the two dates the diff waits for the slider to rest, as
// the table does: a frame of a large map has no time to spare.
const STEP_EVENTS_MAX = 20000;

/**
 * byId(id) finds the page's elements (#compare-input, #compare-clear, #compare and its
 * list, date and "nothing changed": each optional). data is the page data (start, end,
 * compare, factions); timeline() the timeline; placeIds the ids that are places; nameOf(id),
 * factions (map/paint.js's: nameOf, colorOf) and historyOf(id) name and link them;
 * emphasize(ids, deltas) draws a diff's changed ids and deltas (null: no comparison);
 * onChange() runs when the reader sets or clears the date.
 * Returns {date(), step(day), settle(day)}.
 */
export function createCompare({ byId, data, timeline, placeIds, nameOf, factions, historyOf, formatDate, emphasize, onChange }) {
  const els = {
    input: byId('compare-input'), clear: byId('compare-clear'), section: byId('compare'), list: byId('compare-list'),
    date: byId('compare-date'), none: byId('compare-none'),
  };
  let from = Number.isFinite(epochDay(data.compare)) ? epochDay(data.compare) : null;
  let pending = false; // the list is behind the date shown
  let showsNone = false; // the map and legend emphasise nothing, as no comparison wants

  function diffAt(day) {
    return from === null ? null : compareDays(timeline(), data.factions ?? [], from, day, placeIds);
  }

  // Without a comparison there is nothing to draw again at each step: emphasising nothing
  // anew went through every place's marker and the legend's deltas twice a step, a fifth of
  // the 34-province map's step's script (docs/benchmarks.md, session 10).
  function draw(diff) {
    if (diff === null && showsNone) return;
    showsNone = diff === null;
    emphasize(changedIds(diff), diff?.deltas ?? null);
  }

  /** The map and legend follow the date shown at once when the diff is cheap. */
  function step(day) {
    pending = true;
    if (from !== null && timeline().eventsBetween(from, day) > STEP_EVENTS_MAX) return;
    draw(diffAt(day));
  }

  /** The list (and a large map's emphasis) once the slider rests. */
  function settle(day) {
    if (!pending) return;
    pending = false;
    const diff = diffAt(day);
    draw(diff);
    renderList(diff);
  }

  function renderList(diff) {
    setHidden(els.clear, diff === null);
    if (!els.section) return;
    setHidden(els.section, diff === null);
    if (diff === null) return;
    setText(els.date, formatDate(isoDate(from)));
    const rows = [...byName(diff.regions), ...byName(diff.places)];
    els.list?.replaceChildren(...rows.map(row));
    setHidden(els.none, rows.length > 0);
  }

  function byName(changes) {
    return changes.map((c) => ({ ...c, name: nameOf(c.id) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  function row(c) {
    const li = el('li');
    li.dataset.region = c.id;
    if (placeIds.has(c.id)) li.dataset.place = '';
    const href = safeHttpUrl(historyOf(c.id));
    let name = c.name;
    if (href) {
      name = el('a', '', c.name);
      name.href = href;
    }
    const arrow = el('span', 'compare-arrow', '→');
    arrow.setAttribute('aria-label', data.labels?.words?.to ?? '→');
    li.append(name, ': ', side(c.from), ' ', arrow, ' ', side(c.to));
    return li;
  }

  function side({ faction, claimed }) {
    const node = el('span', 'compare-side');
    node.dataset.faction = faction;
    const swatch = el('span', 'swatch');
    swatch.style.backgroundColor = factions.colorOf(faction);
    node.append(swatch, ` ${factions.nameOf(faction)}${claimed ? ` ${data.labels?.words?.claimed ?? ''}` : ''}`);
    return node;
  }

  function set(iso) {
    const day = epochDay(iso);
    from = Number.isFinite(day) && iso >= data.start && iso <= data.end ? day : null;
    pending = true;
    onChange();
  }

  // The map page's field (the embed carries the date in a hidden input). Typed as the date
  // field beside the slider is (ui/date-field.js; the early script may have done so), so
  // that the two read alike: YYYY-MM-DD, not the browser's own order of day, month and year.
  if (els.input && els.input.type !== 'hidden') {
    typeDates(els.input, els.input.ownerDocument?.defaultView);
    els.input.min = data.start;
    els.input.max = data.end;
    els.input.addEventListener('change', () => {
      const v = els.input.value.trim();
      // A refused date says what is wrong in the page's words and changes nothing.
      const problem = dateProblem(v, data.start, data.end, data.labels?.words);
      els.input.setCustomValidity(problem);
      if (problem !== '') els.input.reportValidity();
      else set(v);
    });
  }
  if (els.clear) {
    els.clear.hidden = from === null;
    els.clear.addEventListener('click', () => {
      if (els.input) els.input.value = '';
      set('');
    });
  }

  return {
    /** The comparison's date (YYYY-MM-DD), '' for none: the links and the URL carry it. */
    date: () => (from === null ? '' : isoDate(from)),
    step,
    settle,
  };
}

function changedIds(diff) {
  if (!diff) return new Set();
  return new Set([...diff.regions, ...diff.places].map((c) => c.id));
}
