// Frontline map page: enhances the server-rendered page (legend, counts and table already
// show the requested date) with a live map, a date slider and play button. The state at any
// date is computed here, so moving the slider never touches the network: from the events in
// the #map-data JSON block, or, for a map with many events, from its compact timeline
// (data/timeline_binary.go), fetched once like the region shapes. The rules match the
// server's (docs CONTRACT "State at date D"; testdata/rules).
//
// This module only composes the page's parts, each with one owner: the server's inline map
// made live (map/live.js) until the reader zooms or pans, or at once for a large map, Leaflet's
// view (map/view.js) and its layer of regions, SVG or canvas as the server says (map/layer.js), what
// it shows at the date (map/shown.js), and the page's controls (ui/controls.js; ticks and
// steps from change to change, ui/stepper.js), what changed that day (ui/changes.js), legend and
// summary (ui/legend.js), table (ui/table.js), popup (ui/popup.js) and what follows once the
// slider rests (ui/settle.js: table, summary, share link, title, URL). The table's and the
// popup's modules are loaded when needed: a page without a table (the embed) never loads
// its module, and the popup's comes with the first click on a region.
//
// Nothing is global except window.frontline = { setDate, state, holder, select, play,
// ready } for tests, embedders (embed-api.js) and the change form; `init` is exported so an embed
// page can drive its own root.

import { epochDay, formatDate as formatDateIn, isoDate, onceEach } from './model/dates.js';
import { createTimeline } from './model/timeline.js';
import { takeOver } from './map/early.js';
import { learnNames, leaflet, liteMap, loadLeaflet, pageShapes, regionIdOf, removeInline } from './map/start.js';
import { readPage } from './map/page-data.js';
import { createLiveMap } from './map/live.js';
import { createFactions } from './map/paint.js';
import { createLayer } from './map/layer.js';
import { createApi, markDrawn, publicApi } from './map/api.js';
import { addNamesAndKeys } from './map/names-keys.js';
import { PlaceMarkers } from './map/places.js';
import { drawContext } from './map/context.js';
import { addScale } from './map/scale.js';
import { Shown } from './map/shown.js';
import { createView, showMapMessage } from './map/view.js';
import { attachChart } from './ui/chart.js';
import { lazyPopup, lazyPopupContents, lazyTable } from './ui/lazy.js';
import { createCompare } from './ui/compare.js';
import { createControls } from './ui/controls.js';
import { createLegend } from './ui/legend.js';
import { createSettler } from './ui/settle.js';
import { createChanges } from './ui/changes.js';
import { createStepper } from './ui/stepper.js';

/**
 * Enhance the map page (or an embed page) inside `root`. Only #map-data is
 * required; #map, the date controls, legend, table and share link are each
 * optional. options: updateHistory and updateTitle (the address bar and the title follow
 * the date), embedded (a page inside someone else's article). Returns { setDate, state, map }
 * or null when there is no data.
 */
export function init(root = document, options = {}) {
  const { updateHistory = true, updateTitle = true, embedded = false } = options;
  const doc = root.ownerDocument ?? root;
  const win = doc.defaultView ?? window;
  const byId = (id) =>
    typeof root.getElementById === 'function' ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`);

  const dataNode = byId('map-data');
  if (!dataNode) return null;
  const mapEl = byId('map');

  const start = readPage(dataNode, mapEl, win);
  if (!start) return null;
  const { data, hatch, timelineBytes } = start;
  let { timeline, shapes } = start; // timeline: null until a large map's compact one arrives
  // A date in the page's language (the page data's labels.dates; English without), each
  // worked out once: a step asks for up to three (its day's, the summary's change date
  // before, the keyboard list's focused key's since), and a scrub goes over the same days
  // again and again.
  const formatDate = onceEach((iso) => formatDateIn(iso, data.labels?.dates));

  const startDay = epochDay(data.start);
  const words = data.labels?.words ?? {}; // the page's words (web/map_show.go's scriptWords)
  const lastIndex = epochDay(data.end) - startDay;
  const factions = createFactions(data.factions);
  const { colorOf } = factions;
  const regionNames = new Map((data.regions ?? []).map((r) => [String(r.id), r.name ?? String(r.id)]));
  for (const p of data.places ?? []) regionNames.set(String(p.id), p.name ?? String(p.id));
  const regionName = (id) => regionNames.get(id) ?? id;
  const capitals = new Map(); // filled from GeoJSON properties
  const regionBase = data.regionBase ?? '';
  const els = {
    form: byId('date-form'), play: byId('play'), slider: byId('date-slider'), input: byId('date-input'),
    submit: byId('date-submit'), label: byId('date-label'), share: byId('share-link'),
  };

  // What is on screen now: made once the timeline is there.
  let current = -1; // day index from start
  let currentIso = ''; // its YYYY-MM-DD
  let shown = null;
  const eventOf = (id) => shown.eventOf(id);
  const holderOf = (id) => {
    const ev = eventOf(id);
    return { faction: timeline.factionOf(ev), claimed: timeline.isClaimed(ev) };
  };

  // A region's or a place's history page ('' in a static export, which has none), at the
  // date shown, so that its "Back to the map" returns the reader to that date.
  const placeIds = new Set((data.places ?? []).map((p) => String(p.id)));
  const historyOf = (id) => {
    const base = placeIds.has(id) ? data.placeBase : regionBase;
    if (!base) return '';
    return base + encodeURIComponent(id) + (current >= 0 ? `?date=${currentIso}` : '');
  };
  const table = lazyTable(byId('regions-table'), root.querySelector('.table-date'), {
    timeline: () => timeline, nameOf: factions.nameOf, colorOf, regionBase, historyOf,
  });
  let legend = null; // needs shown's counts
  let settler = null;
  let compare = null; // ui/compare.js: the comparison with another date
  let changed = new Set(); // what the comparison emphasises on the map
  let stepper = null; // ticks and steps from change to change, once the timeline is there
  let changes = null; // what changed on the date shown (ui/changes.js)
  const controls = createControls({
    els, doc, win, data, lastIndex, index: () => current, setIndex,
    playStep: (i) => (stepper ? stepper.playStep(i) : i + 1), speed: () => stepper?.speed() ?? 1,
  });
  const chart = attachChart({
    root: byId('series-chart'), data, days: lastIndex + 1, isoOf: (i) => isoDate(startDay + i), labelOf: formatDate,
    nameOf: factions.nameOf, colorOf, onSeries: () => legend?.updateSummary(formatDate(isoDate(startDay + current)), isoDate(startDay + current)),
    onPick: (i) => {
      controls.setPlaying(false);
      setIndex(i);
    },
  });

  // The map. On a light page (map/start.js's liteMap) the server's inline map is the live
  // one (map/live.js) until the reader zooms or pans, when Leaflet takes over (handOver);
  // otherwise Leaflet's map is made now so the box shows at once, and the regions' layer
  // draws when the shapes arrive.
  let L = win.L;
  let view = null;
  let layer = null; // Promise of the map layer
  let popup = null; // ui/lazy.js's popup: its module loads with the first click on a region
  let selectedRegion = null;
  // The layer once its regions are on the map, the places' markers (map/places.js) and the
  // keyboard's list (map/keys.js): Leaflet's, or the live inline map's (map/live.js) until
  // Leaflet takes over (handingOver: the promise of it, once the reader asked).
  let [drawn, places, keys, live, handingOver] = [null, null, null, null, null];
  const rtl = (doc.documentElement?.dir ?? '') === 'rtl';
  const describe = (id) => {
    const { faction, claimed } = holderOf(id);
    return { faction: factions.nameOf(faction), claimed, since: formatDate(timeline.dateOf(eventOf(id))) };
  };
  const popupOptions = () => ({
    timeline: () => timeline, eventOf, nameOf: regionName, capitalOf: (id) => capitals.get(id),
    factionName: factions.nameOf, colorOf, regionBase, slug: data.slug, labels: data.labels,
    historyOf, historyTarget: embedded ? '_blank' : '',
  });
  const regionClicked = (id) => doc.dispatchEvent(new CustomEvent('frontline:regionclick', { detail: { region: id } }));
  if (mapEl && !L && liteMap(data, mapEl)) {
    live = createLiveMap(mapEl, {
      hatch, colorOf, places: data.places ?? [], nameOf: regionName, describe, rtl, words,
      content: lazyPopupContents(popupOptions).content, onOpen: regionClicked, onMore: handOver,
    });
    ({ regions: drawn, places, keys } = live);
  } else if (mapEl && L) {
    startLeaflet();
  } else if (mapEl) {
    showMapMessage(mapEl, words.noStart, 'alert');
  }

  /** Leaflet's map in the box: the view, the regions' layer, the land around, the scale. */
  function startLeaflet() {
    view = createView(L, mapEl, { attribution: data.attribution, onKey: (e) => controls.handleStepKey(e), words });
    layer = createLayer(data.renderer, view.map, {
      L, hatch, colorOf, holderOf, factions: [...factions.byId.keys()],
      idOf: regionIdOf, nameOf: regionName, onOpen: openRegion,
    });
    layer.catch(() => {}); // reported where the shapes are drawn
    drawContext(L, view.map, data); // under the regions, whenever it comes
    addScale(L, view.map);
  }

  /** The reader wants more than the live inline map gives: Leaflet, the shapes, the land around. */
  function handOver() {
    handingOver ??= loadLeaflet().then((loaded) => {
      if (!loaded || !live) return;
      [L, shapes] = [loaded, pageShapes(data)];
      startLeaflet();
      return loadShapes();
    });
  }

  // rowsShown: the server rendered the table at this date already.
  // drag: a step of the reader's drag of the slider, which the rest of the page follows once
  // it rests (ui/settle.js).
  function setIndex(index, { force = false, rowsShown = false, drag = false } = {}) {
    if (!Number.isFinite(index)) return;
    const idx = Math.min(Math.max(Math.round(index), 0), lastIndex);
    if (idx === current && !force) return;
    current = idx;
    const day = startDay + idx;
    const iso = isoDate(day);
    currentIso = iso;
    const moved = shown.moveTo(day, { force });
    for (const id of moved) {
      const ev = shown.eventOf(id);
      // Markers and regions change in the same frame: both are painted here.
      if (placeIds.has(id)) {
        places?.paint(id, timeline.factionOf(ev), timeline.isClaimed(ev));
      } else {
        drawn?.paint(id, timeline.factionOf(ev), timeline.isClaimed(ev));
      }
      if (!rowsShown) table.markStale(id);
      popup?.refresh(id);
      live?.refresh(id);
    }
    // The keyboard list's focused key names its holder and since when: only a region whose
    // event changed can change it.
    if (moved.length > 0) keys?.refresh();
    legend.update();
    compare.step(day);
    const label = formatDate(iso);
    controls.show(label);
    chart.show(idx);
    // On the first call the server has rendered the rest of the page at this date already.
    stepper?.show(idx);
    // The what-changed list follows with the summary (settler's onSettle): at once for a step
    // on its own, once a drag rests.
    settler.step(iso, label, { settled: rowsShown, drag });
    // Other scripts (share.js: downloads, embed codes) follow the date through this event.
    doc.dispatchEvent(new CustomEvent('frontline:datechange', { detail: { date: iso, label, compare: compare.date() } }));
  }

  /** A reader chose region id at latlng: its popup, and the event the change form follows. */
  function openRegion(id, latlng) {
    showPopup(id, latlng);
    regionClicked(id);
  }

  function showPopup(id, latlng) {
    (popup ??= lazyPopup(() => ({ L, map: view.map, ...popupOptions() }))).open(id, latlng);
  }

  async function loadShapes() {
    const loading = showMapMessage(mapEl, words.loading, 'status');
    try {
      const geojson = await shapes;
      if (!geojson || !Array.isArray(geojson.features)) throw new Error('not a GeoJSON FeatureCollection');
      const regions = await layer;
      await timelineReady;
      drawShapes(geojson, regions);
      loading.remove();
    } catch (err) {
      console.warn('frontline: map shapes failed to load', err);
      loading.remove();
      view.disable();
      showMapMessage(mapEl, words.notLoaded, 'alert');
    }
  }

  function drawShapes(geojson, regions) {
    // A feature with a geometry, or projected by the server (map/shapes.js).
    const features = geojson.features.filter((f) => regionIdOf(f) !== null && (f.geometry || f.projected));
    learnNames(features, regionNames, capitals);
    // Regions with a shape but absent from data.regions still get painted.
    const ids = regions.draw(features);
    shown.track(ids);
    view.fit(regions.bounds);
    regions.addTo(view.map);
    drawn = regions;
    for (const id of ids) {
      const { faction, claimed } = holderOf(id);
      regions.paint(id, faction, claimed);
    }
    if (selectedRegion !== null) regions.select(selectedRegion);
    regions.emphasize(changed);
    regions.flush();
    if (placeIds.size > 0) {
      places = new PlaceMarkers(L, view.map, { places: data.places, colorOf, hatch, holderOf, onOpen: openRegion, rtl });
      places.addTo(view.map);
      places.emphasize(changed);
    }
    const namesAndKeys = () => {
      keys = addNamesAndKeys(L, view.map, { features, places: data.places, idOf: regionIdOf, nameOf: regionName, rtl, label: words.keys, describe, onOpen: openRegion });
    };
    // The interactive map covers the server's inline map now (static/map/start.js); after a
    // light start, at the view the reader moved the live one to, its popup still open.
    if (live) {
      namesAndKeys();
      live.handOver(view.map, showPopup, keys);
      removeInline(mapEl);
      doc.dispatchEvent(new Event('frontline:leaflet'));
    } else {
      // A large map: the regions are drawn and the slider recolours them now; the names and
      // the keyboard's list (a third of the draw on the 3,230 US counties) follow in a task of
      // their own, which a first input of the reader's comes before.
      removeInline(mapEl);
      markDrawn(win);
      win.setTimeout(namesAndKeys, 0);
    }
    live = null;
  }

  // -------------------------------------------------------------------------
  // Public API (map/api.js).

  const { api, resolveReady } = createApi({
    timeline: () => timeline, startDay, lastIndex, start: data.start, end: data.end, current: () => current,
    setIndex, setPlaying: (on) => controls.setPlaying(on), map: () => view?.map ?? null,
    /** Outline region id as chosen (the change form's region), or none for null. */
    select(id) {
      selectedRegion = id === null || id === undefined ? null : String(id);
      drawn?.select(selectedRegion);
    },
  });

  // Start: at once with the events inline, else when the compact timeline has arrived.
  function begin() {
    shown = new Shown(timeline, (data.regions ?? []).map((r) => String(r.id)));
    shown.track(placeIds); // painted as the date moves, never counted
    legend = createLegend({
      root, summary: byId('summary'), factions: factions.byId, factionList: data.factions, labels: data.labels,
      counts: shown.counts, countedIds: shown.countedIds,
      summaryMore: (iso) => chart.summaryMore(iso, data.labels, formatDate),
    });
    compare = createCompare({
      byId, data, timeline: () => timeline, placeIds, nameOf: regionName, factions, historyOf, formatDate,
      emphasize(ids, deltas) {
        changed = ids;
        drawn?.emphasize(ids);
        places?.emphasize(ids);
        legend.showDeltas(deltas);
      },
      onChange: () => setIndex(current, { force: true }),
    });
    const initialLabel = Number.isFinite(epochDay(data.date)) ? formatDate(data.date) : '';
    settler = createSettler({
      doc, win, els, data, initialLabel, table, legend, eventOf, updateHistory, updateTitle,
      compareOf: compare.date,
      onSettle: (iso, label) => {
        changes?.show(epochDay(iso), label);
        compare.settle(epochDay(iso));
      },
    });
    // Where the early script (map/early.js) left the slider, taking over from it; else the page's date.
    const startIdx = takeOver(doc, els.slider) ?? (Number.isFinite(epochDay(data.date)) ? epochDay(data.date) - startDay : 0);
    const moved = startIdx !== epochDay(data.date) - startDay;
    controls.wire();
    changes = createChanges({ box: byId('changes'), win, timeline: () => timeline, nameOf: regionName, historyOf, factions, settings: data.changes });
    const go = (i) => {
      controls.setPlaying(false);
      setIndex(i);
    };
    stepper = createStepper({ byId, slider: els.slider, doc, counts: timeline.dayCounts(), lastIndex, index: () => current, go });
    // The server rendered the page, table included, at data.date.
    setIndex(startIdx, { force: true, rowsShown: !moved });
    if (!moved) settler.cancelUrl(); // the URL already says where we are
    if (live) markDrawn(win);
    resolveReady();
  }
  const timelineReady = timeline
    ? Promise.resolve()
    : timelineBytes.then((bytes) => {
        timeline = createTimeline(data, bytes);
      });
  if (timeline) begin();
  else {
    timelineReady.then(begin, (err) => {
      console.warn('frontline: the timeline could not be loaded', err);
      // With shapes to draw, loadShapes says the map failed.
      if (mapEl && !(view && data.geojson)) showMapMessage(mapEl, words.noTimeline, 'alert');
    });
  }
  // On a light page, Leaflet's map comes when the reader zooms or pans (handOver).
  if (!live && view && data.geojson) loadShapes();
  else if (!live && view) {
    view.disable();
    showMapMessage(mapEl, words.noShapes, 'alert');
  }
  return api;
}

// ---------------------------------------------------------------------------
// Auto-start on pages that carry map data, once static/map/start.js has let the first frame
// (the server's inline map) out on a light page, or run Leaflet on a page that needs it at
// once (a large map: as soon as it is in). `started` resolves with window.frontline (null: no
// map data).

export const started = leaflet.then(() => {
  if (typeof document === 'undefined' || !document.getElementById('map-data')) return null;
  // An embedded map lives in someone else's article: it leaves the iframe's URL and the
  // title alone, and opens history pages in a new tab.
  const embedded = document.body?.hasAttribute('data-embed') ?? false;
  const controller = init(document, { updateHistory: !embedded, updateTitle: !embedded, embedded });
  if (!controller) return null;
  window.frontline = publicApi(controller);
  return window.frontline;
});
