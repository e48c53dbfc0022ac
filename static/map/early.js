// The light map's slider from the first frame. A module script runs only once the whole page
// is parsed and its files are in (100 to 300 ms into a cold load), so a reader who grabs the
// slider as the map appears would move nothing. The server therefore puts this script,
// bundled as a classic script (web/bundle.go), inline right after the map box, with the
// table it reads (#map-early, web/early_map.go): the map's fills at every slider position,
// as the server draws them. It runs before the first frame (the page holds that frame until
// the map is parsed), shows the slider as the module will, and on each input recolours the
// inline map and sets the date label and field. The panels it does not follow (summary,
// legend, what changed, chart, table) say aria-busy until the module takes over.
//
// static/map.js takes over when it starts: it reads the slider's position rather than the
// page's date, and sends 'frontline:takeover', on which this script stops listening and
// clears the busy marks it set. Nothing here is needed without JavaScript or once the module
// runs; the page without this script starts as before.

import { epochDay, formatDate, isoDate } from '../model/dates.js';
import { typeDates, unwrapDates } from '../ui/date-field.js';

/** The panels the early script leaves to the module, by id: aria-busy once it moves. */
const PANELS = ['summary', 'legend', 'changes', 'series-chart', 'regions-table'];

/**
 * What table's regions and places show at slider position pos: {index: fill or marker
 * index} (a region's index into table.regions, a place's the regions' count plus its index
 * into table.places), from every step at or before pos (the first step holds them all).
 */
export function fillsAt(table, pos) {
  const out = new Map();
  for (const step of table.steps) {
    if (step[0] > pos) break;
    for (let k = 1; k < step.length; k += 2) out.set(step[k], step[k + 1]);
  }
  return out;
}

/**
 * Show doc's date controls as the module shows them (ui/controls.js's wire, ui/stepper.js),
 * so that nothing moves when it takes over: the slider, Play and the steps from change to
 * change (which answer once it has: a tenth of a second, too short to grey them out and
 * back), the date field typed as ui/date-field.js types it and without its button (Show,
 * for pages without scripting). A light map's page runs this inline right after its form
 * (./early-controls.js), before the map is parsed: the first frame, which may come as soon as
 * the map is in and before ./early-start.js runs, then shows the controls as they stay.
 * Idempotent: startEarly calls it too.
 */
export function showControls(doc) {
  const byId = (id) => doc.getElementById(id);
  for (const id of ['date-slider', 'play', 'previous-change', 'next-change', 'play-by-change', 'play-speed']) {
    const el = byId(id);
    const shown = el?.closest('label') ?? el;
    if (shown) shown.hidden = false;
  }
  const submit = byId('date-submit');
  if (submit) submit.hidden = true;
  unwrapDates(doc, doc.defaultView);
  typeDates(byId('date-input'), doc.defaultView);
  typeDates(byId('compare-input'), doc.defaultView);
}

/**
 * Make doc's light map follow its slider from now until the module takes over; a no-op on a
 * page without the table, the slider or the inline map. Returns a function that stops it.
 */
export function startEarly(doc) {
  const table = JSON.parse(doc.getElementById('map-early')?.textContent || 'null');
  const byId = (id) => doc.getElementById(id);
  const slider = byId('date-slider');
  const svg = doc.querySelector('#map > svg.map-inline');
  if (!table?.steps?.length || !slider || !svg) return () => {};
  const paths = new Map();
  for (const p of svg.querySelectorAll('path[data-inline-region]')) paths.set(p.getAttribute('data-inline-region'), p);
  const regions = table.regions.map((id) => paths.get(id));
  const discs = new Map(); // place id -> [outer, inner], as the server draws them
  for (const p of svg.querySelectorAll('path[data-inline-place]')) {
    const id = p.getAttribute('data-inline-place');
    discs.set(id, [...(discs.get(id) ?? []), p]);
  }
  const places = (table.places ?? []).map((id) => discs.get(id));
  const startDay = epochDay(table.start);

  // The controls as they stay, should the page lack ./early-controls.js's inline run; the
  // slider's box with room for its ticks.
  showControls(doc);
  if (table.steps.length > 1) slider.parentElement?.classList.add('has-ticks');

  const busy = [];
  const show = () => {
    const pos = Number(slider.value);
    if (!Number.isFinite(pos)) return;
    for (const [r, f] of fillsAt(table, pos)) {
      if (r >= regions.length) {
        const [outer, inner] = places[r - regions.length] ?? [];
        const m = table.markers[f];
        if (outer && inner) {
          setAttr(outer, 'stroke', m.outer);
          setAttr(outer, 'stroke-width', String(m.outerWidth));
          setAttr(inner, 'stroke', m.inner);
          setAttr(inner, 'stroke-width', String(m.innerWidth));
        }
        continue;
      }
      const path = regions[r];
      const [fill, factionColor] = table.fills[f];
      if (!path || path.getAttribute('fill') === fill) continue;
      path.setAttribute('fill', fill);
      if (factionColor) path.setAttribute('data-faction-color', factionColor);
      else path.removeAttribute('data-faction-color');
    }
    const iso = isoDate(startDay + pos);
    const label = formatDate(iso, table.dates);
    const out = byId('date-label');
    if (out && out.textContent !== label) out.textContent = label;
    slider.setAttribute('aria-valuetext', label);
    const input = byId('date-input');
    if (input && doc.activeElement !== input) input.value = iso;
    for (const id of PANELS) {
      const el = byId(id);
      if (el && !el.hasAttribute('aria-busy')) {
        el.setAttribute('aria-busy', 'true');
        busy.push(el);
      }
    }
  };
  const stop = () => {
    slider.removeEventListener('input', show);
    doc.removeEventListener('frontline:takeover', stop);
    for (const el of busy) el.removeAttribute('aria-busy');
  };
  slider.addEventListener('input', show);
  doc.addEventListener('frontline:takeover', stop);
  const win = doc.defaultView;
  win?.performance?.mark?.('frontline:input');
  // Say when the first frame, the map with its slider, is out (a message posted from the
  // frame's callback arrives after its paint): map/start.js starts the module then, at once
  // if it is out already.
  win?.requestAnimationFrame?.(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      win.performance?.mark?.(EARLY_PAINTED);
      doc.dispatchEvent(new Event(EARLY_PAINTED));
    };
    ch.port2.postMessage(0);
  });
  return stop;
}

function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** The mark and the event of the early script's first frame out. */
export const EARLY_PAINTED = 'frontline:early-painted';

/**
 * static/map.js takes over from the early script: stops it ('frontline:takeover') and
 * returns the slider's position, where the reader may have moved it since the first frame;
 * null on a page without the early script, which starts at the page's date.
 */
export function takeOver(doc, slider) {
  doc.dispatchEvent(new Event('frontline:takeover'));
  if (!doc.getElementById('map-early') || !slider) return null;
  const pos = Number(slider.value);
  return Number.isFinite(pos) ? pos : null;
}

/**
 * Load the page's module scripts once its first frame is out: a page with the early script
 * holds them in <template id="modules-later"> (web's moduleScripts), so that neither their
 * answers nor their compiling come between the parser's tasks before that frame. The
 * scripts are made anew, in order (async = false: map.js before the page's own, as the
 * parser would run them), since a script copied from a template may not run; the chunks'
 * modulepreload links are copied as they are. A no-op without the template.
 *
 * A page that draws no frame (a background tab; an embed's frame scrolled out of the
 * article, whose frames Chromium throttles) loads them after MODULES_FALLBACK_MS all the
 * same: embed.js tells the host page the frame's height from there.
 */
export function loadModulesLater(doc) {
  const tpl = doc.getElementById('modules-later');
  const win = doc.defaultView;
  if (!tpl || !win) return;
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    for (const node of tpl.content.children) {
      if (node.localName !== 'script') {
        doc.head.append(doc.importNode(node, true));
        continue;
      }
      const script = doc.createElement('script');
      script.type = node.getAttribute('type');
      script.src = node.getAttribute('src');
      script.async = false;
      doc.head.append(script);
    }
    tpl.remove();
  };
  // After the frame's paint: a message posted from its callback arrives then.
  win.requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      load();
    };
    ch.port2.postMessage(0);
  });
  win.setTimeout(load, MODULES_FALLBACK_MS);
}

/** How long loadModulesLater waits for a first frame that does not come. */
export const MODULES_FALLBACK_MS = 1000;
