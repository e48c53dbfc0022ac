// Frontline map page: enhances the server-rendered page (legend, counts and
// table already show the requested date) with a Leaflet map, a date slider and
// play button. The state at any date is computed here, so moving the slider never
// touches the network: from the events in the #map-data JSON block, or, for a map
// with many events, from its compact timeline (data/timeline_binary.go), fetched
// once like the region shapes.
//
// The rules must match the server (see docs CONTRACT "State at date D"): a
// region holds the faction of its latest event dated on or before D, and on a
// tie the event recorded later wins; with no event it holds `initial` since `start`.
//
// Nothing is global except window.frontline = { setDate, state, holder, select,
// ready } for tests, embedders and the change form; `init` is exported so an embed
// page can drive its own root.

import { DAY_MS, epochDay, formatDate, isoDate } from './model/dates.js';
import { linkAt } from './model/links.js';
import { summarize } from './model/summary.js';
import { createTimeline } from './model/timeline.js';
import {
  BORDER_COLOR,
  FALLBACK_COLOR,
  FIT_PADDING,
  HATCH_BACKGROUND,
  OUTLINE_COLOR,
  ZOOM_SNAP,
  fetchShapes,
  leaflet,
  mapData,
} from './picture.js';

const STEP_MS = 350;
const STEP_MS_REDUCED_MOTION = 1_000;
const URL_UPDATE_DELAY_MS = 300;
// A slider step restyles the map, the legend's counts and the date label at once; the rest
// of the page (the table of regions, the summary sentence, the date field, the share link,
// the title) follows once the slider rests this long. The table alone is laid out whole
// whenever one of its cells changes: tens of milliseconds at thousands of rows, too much
// for every step of a drag.
const SETTLE_DELAY_MS = 150;
// From this many regions the map is drawn on a canvas: SVG keeps every region an element
// to restyle and rasterise, about 9 frames a second at 5,000 regions here, and 54 to 60
// up to 400 (docs/benchmarks.md).
const CANVAS_MIN_REGIONS = 1000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const HOVER_COLOR = '#15191d';
const SELECTED_COLOR = '#111111'; // as #map path.selected in style.css

// ---------------------------------------------------------------------------
// Small DOM helpers.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** The URL if it is http(s), else null: editors' links never become javascript: hrefs. */
function safeHttpUrl(raw) {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const u = new URL(raw, document.baseURI);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function isTextEntry(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return !!target.closest('input, select, textarea');
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------
// The page controller.

/**
 * Enhance the map page (or an embed page) inside `root`. Only #map-data is
 * required; #map, the date controls, legend, table and share link are each
 * optional. Returns { setDate, state, map } or null when there is no data.
 */
export function init(root = document, options = {}) {
  const { updateHistory = true, updateTitle = true } = options;
  const doc = root.ownerDocument ?? root;
  const win = doc.defaultView ?? window;
  const byId = (id) =>
    typeof root.getElementById === 'function' ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`);

  const dataNode = byId('map-data');
  if (!dataNode) return null;
  const mapEl = byId('map');

  let data;
  let timeline = null; // null until a large map's compact timeline arrives
  let shapes = null;
  let timelineBytes = null;
  try {
    data = mapData(dataNode);
    // The shapes are what the first draw waits for longest: ask for them before anything
    // else (the page's <link rel="preload"> has usually fetched them already).
    if (mapEl && win.L && data.geojson) {
      shapes = fetchShapes(data.geojson);
      shapes.catch(() => {}); // handled where it is awaited; this only keeps a bad start quiet
    }
    if (typeof data.timeline === 'string' && data.timeline) {
      timelineBytes = fetchBytes(data.timeline);
      timelineBytes.catch(() => {});
    } else {
      timeline = createTimeline(data);
    }
    if (!(epochDay(data.end) >= epochDay(data.start))) throw new Error(`invalid date range ${data.start}..${data.end}`);
  } catch (err) {
    console.warn('frontline: unreadable map data', err);
    if (mapEl) showMapMessage(mapEl, 'The interactive map could not start: its data is unreadable.', 'alert');
    return null;
  }

  const startDay = epochDay(data.start);
  const endDay = epochDay(data.end);
  const lastIndex = endDay - startDay;
  const factions = new Map((data.factions ?? []).map((f) => [String(f.id), f]));
  const colorOf = (f) => {
    const c = factions.get(f)?.color;
    return typeof c === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : FALLBACK_COLOR;
  };
  const nameOf = (f) => factions.get(f)?.name ?? f;
  const regionNames = new Map((data.regions ?? []).map((r) => [String(r.id), r.name ?? String(r.id)]));
  const capitals = new Map(); // filled from GeoJSON properties
  const regionBase = data.regionBase ?? '';
  const pageBase = data.pageBase ?? doc.location?.pathname ?? '';

  // Elements (all optional).
  const els = {
    form: byId('date-form'),
    play: byId('play'),
    slider: byId('date-slider'),
    input: byId('date-input'),
    submit: byId('date-submit'),
    label: byId('date-label'),
    share: byId('share-link'),
    table: byId('regions-table'),
    summary: byId('summary'),
    tableDate: root.querySelector('.table-date'),
  };
  const countNodes = new Map();
  for (const f of factions.keys()) {
    const node = root.querySelector(`[data-testid="count-${CSS.escape(f)}"]`);
    if (node) countNodes.set(f, node);
  }
  const rows = new Map();
  if (els.table) {
    for (const tr of els.table.querySelectorAll('tbody tr[data-region]')) {
      rows.set(tr.getAttribute('data-region'), tr);
    }
  }

  // Title: replace the server's date label in place when it has one, so the
  // server decides the wording ("{title} — 14 August 2021 — Frontline").
  const initialTitle = doc.title;
  const initialLabel = Number.isFinite(epochDay(data.date)) ? formatDate(data.date) : '';
  const titleParts = initialLabel && initialTitle.includes(initialLabel) ? initialTitle.split(initialLabel) : null;

  // What is on screen now.
  let current = -1; // day index from start
  const shown = new Map(); // region id -> index of the event in force (-1: initial)
  const counts = new Map(); // faction -> number of regions (data.regions only)
  const countedIds = new Set((data.regions ?? []).map((r) => String(r.id)));
  const trackedIds = [...countedIds];
  const trackedSet = new Set(trackedIds);
  const staleRows = new Set(); // rows of the table behind the date shown
  let settleTimer = 0;
  let settleDate = null;
  let popupRegion = null;
  let playing = false;
  let playTimer = 0;
  let urlTimer = 0;

  // Map (created now so the box shows at once; shapes arrive later).
  const leaflet = win.L;
  let map = null;
  let popup = null;
  let renderer = null;
  let svgDefs = null;
  let regionBounds = null;
  let fitting = false;
  let userMoved = false;
  const layers = new Map(); // region id -> L.Polygon
  if (mapEl && leaflet) {
    map = createMap();
  } else if (mapEl) {
    showMapMessage(mapEl, 'The interactive map could not start. The table lists every region and its holder.', 'alert');
  }

  // -------------------------------------------------------------------------
  // Applying a date.

  // rowsShown: the server rendered the table at this date already.
  function setIndex(index, { force = false, rowsShown = false } = {}) {
    if (!Number.isFinite(index)) return;
    const idx = Math.min(Math.max(Math.round(index), 0), lastIndex);
    if (idx === current && !force) return;
    const previous = current;
    current = idx;
    const day = startDay + idx;
    const iso = isoDate(day);

    // A step of a few days changes only the regions with an event in between.
    let ids = trackedIds;
    if (!force && previous >= 0 && timeline.eventsBetween(startDay + previous, day) < trackedIds.length) {
      ids = [...timeline.changedBetween(startDay + previous, day)].filter((id) => trackedSet.has(id));
    }
    for (const id of ids) {
      const ev = timeline.holding(id, day);
      if (shown.has(id) && shown.get(id) === ev) continue;
      const before = shown.has(id) ? timeline.factionOf(shown.get(id)) : null;
      shown.set(id, ev);
      const after = timeline.factionOf(ev);
      if (countedIds.has(id) && before !== after) {
        if (before !== null) counts.set(before, (counts.get(before) ?? 0) - 1);
        counts.set(after, (counts.get(after) ?? 0) + 1);
      }
      paintRegion(id, ev);
      if (!rowsShown && rows.has(id)) staleRows.add(id);
      if (id === popupRegion && popup?.isOpen()) popup.setContent(popupContent(id));
    }
    for (const [f, node] of countNodes) {
      const text = String(counts.get(f) ?? 0);
      if (node.textContent !== text) node.textContent = text;
    }
    const label = formatDate(iso);
    updateDateControls(iso, label);
    // On the first call the server has rendered the rest of the page at this date already.
    if (!rowsShown) scheduleSettle(iso, label);
  }

  // The rest of the page follows SETTLE_DELAY_MS after the last step.
  function scheduleSettle(iso, label) {
    settleDate = { iso, label };
    win.clearTimeout(settleTimer);
    settleTimer = win.setTimeout(settle, SETTLE_DELAY_MS);
  }

  function settle() {
    const { iso, label } = settleDate;
    for (const id of staleRows) updateRow(id, shown.get(id));
    staleRows.clear();
    if (els.tableDate) els.tableDate.textContent = label;
    updateSummary(label);
    if (els.input && els.input.value !== iso) els.input.value = iso;
    if (els.share && data.links) els.share.setAttribute('href', linkAt(data.links.page, iso));
    if (updateTitle) {
      doc.title = titleParts ? titleParts.join(label) : `${initialTitle || data.title} (${label})`;
    }
  }

  // The server's sentence and wording (static/model/summary.js, data.labels.summary).
  function updateSummary(label) {
    if (!els.summary || !data.labels) return;
    const text = summarize(data.labels.summary, data.factions, (f) => counts.get(f) ?? 0, countedIds.size, label);
    if (text) els.summary.textContent = text;
  }

  function updateDateControls(iso, label) {
    if (els.slider) {
      if (els.slider.value !== String(current)) els.slider.value = String(current);
      els.slider.setAttribute('aria-valuetext', label);
    }
    if (els.label) els.label.textContent = label;
    if (updateHistory) scheduleUrlUpdate(iso);
    // Other scripts (share.js: downloads, embed codes) follow the date through this event.
    doc.dispatchEvent(new CustomEvent('frontline:datechange', { detail: { date: iso, label } }));
  }

  // Browsers throttle (Safari: throw on) floods of replaceState, and a drag
  // fires dozens of input events a second, so only the settled date is written.
  function scheduleUrlUpdate(iso) {
    win.clearTimeout(urlTimer);
    urlTimer = win.setTimeout(() => {
      try {
        const url = new URL(win.location.href);
        if (url.searchParams.get('date') === iso) return;
        url.searchParams.set('date', iso);
        win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
      } catch {
        // Sandboxed iframes and file: pages may refuse; the share link still works.
      }
    }, URL_UPDATE_DELAY_MS);
  }

  function updateRow(id, ev) {
    const tr = rows.get(id);
    if (!tr) return;
    const f = timeline.factionOf(ev);
    const claimed = timeline.isClaimed(ev);

    const holder = tr.querySelector('.holder');
    if (holder) {
      holder.setAttribute('data-faction', f);
      let swatch = holder.querySelector('.swatch');
      let name = holder.querySelector('.holder-name');
      if (!name) {
        // Unexpected markup: rebuild the cell in the agreed shape.
        holder.replaceChildren();
        swatch = el('span', 'swatch');
        name = el('span', 'holder-name');
        holder.append(swatch, ' ', name);
      }
      if (swatch) paintSwatch(swatch, f);
      name.textContent = nameOf(f);
      let mark = holder.querySelector('.claim-mark');
      if (claimed && !mark) {
        mark = el('span', 'claim-mark', '(claimed)');
        name.after(' ', mark);
      }
      if (mark) mark.hidden = !claimed;
    }

    const since = tr.querySelector('.since');
    if (since) {
      const iso = timeline.dateOf(ev);
      const time = since.querySelector('time');
      if (time) {
        time.dateTime = iso;
        time.textContent = iso;
      } else {
        since.textContent = iso;
      }
    }

    const source = tr.querySelector('.source');
    if (source) {
      // A large map's page has no sources (see createTimeline): the row links to the
      // region's history, which lists them.
      const details = timeline.detailsOf(ev);
      let href = details ? safeHttpUrl(details.source) : null;
      let text = 'source';
      if (!details && ev >= 0 && regionBase) {
        href = regionBase + encodeURIComponent(id);
        text = 'history';
      }
      let link = source.querySelector('a');
      if (href && !link) {
        link = el('a', null, text);
        link.rel = 'noopener';
        source.append(link);
      }
      if (link) {
        if (href) link.href = href;
        else link.removeAttribute('href');
        if (link.textContent !== text) link.textContent = text;
        link.hidden = !href;
      }
    }
  }

  // The server renders <span class="swatch swatch-{faction}" style="background-color:…">.
  function paintSwatch(swatch, f) {
    for (const c of [...swatch.classList]) if (c.startsWith('swatch-')) swatch.classList.remove(c);
    swatch.classList.add(`swatch-${f}`);
    swatch.style.backgroundColor = colorOf(f);
  }

  // -------------------------------------------------------------------------
  // Leaflet.

  function createMap() {
    renderer = leaflet.svg({ padding: 0.5 });
    const m = leaflet.map(mapEl, {
      renderer,
      preferCanvas: false,
      zoomControl: true,
      attributionControl: true,
      zoomSnap: ZOOM_SNAP, // static/picture.js frames its first picture the same way
      zoomDelta: 1,
      wheelPxPerZoomLevel: 120,
    });
    // A placeholder view until the shapes arrive: Leaflet throws on wheel or
    // drag before it has one.
    m.setView([0, 0], 1, { animate: false });
    // The renderer's <svg> and its hatch patterns exist before the shapes arrive, so
    // that each region is drawn in its final colour at once.
    m.addLayer(renderer);
    const svg = m.getPane('overlayPane')?.querySelector(':scope > svg');
    if (svg) {
      svgDefs = svg.querySelector(':scope > defs') ?? svg.insertBefore(document.createElementNS(SVG_NS, 'defs'), svg.firstChild);
      for (const f of factions.keys()) ensureHatch(f);
    }
    m.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (typeof data.attribution === 'string' && data.attribution) {
      m.attributionControl.addAttribution(escapeHtml(data.attribution));
    }
    popup = leaflet.popup({ maxWidth: 300, autoPanPadding: [16, 16], className: 'region-popup-wrap' });
    m.on('popupclose', (e) => {
      if (e.popup === popup) popupRegion = null;
    });
    // Leaflet pans on ArrowLeft/Right while the map has focus (its listener is
    // on document); here those keys step the date instead, so stop them at the
    // container. Shift+Arrow still reaches Leaflet and pans.
    mapEl.addEventListener('keydown', (e) => {
      if (handleStepKey(e)) e.stopPropagation();
    });
    // Until the reader pans or zooms, keep the regions fitted to the box
    // (phone rotation, late layout); after that, respect their view.
    m.on('dragstart popupopen', () => (userMoved = true));
    m.on('zoomstart', () => {
      if (!fitting) userMoved = true;
    });
    if ('ResizeObserver' in win) {
      new win.ResizeObserver(() => {
        m.invalidateSize({ pan: false });
        if (regionBounds && !userMoved) fitToRegions();
      }).observe(mapEl);
    }
    return m;
  }

  async function loadShapes() {
    const loading = showMapMessage(mapEl, 'Loading the map…', 'status');
    let geojson;
    try {
      geojson = await shapes;
      if (!geojson || !Array.isArray(geojson.features)) throw new Error('not a GeoJSON FeatureCollection');
      // A large map's canvas comes in its own module, asked for while the timeline arrives.
      const canvasModule = geojson.features.length >= CANVAS_MIN_REGIONS ? import('./canvas.js') : null;
      await timelineReady;
      drawShapes(geojson, canvasModule && (await canvasModule).RegionCanvas);
      loading.remove();
    } catch (err) {
      console.warn('frontline: map shapes failed to load', err);
      loading.remove();
      disableMap();
      showMapMessage(mapEl, 'The map could not be loaded. The table below lists every region and its holder.', 'alert');
    }
  }

  function regionIdOf(feature) {
    const id = feature.id ?? feature.properties?.id;
    return id === undefined || id === null ? null : String(id);
  }

  /** Draw the regions: as SVG, or on the canvas of RegionCanvas when given. */
  function drawShapes(geojson, RegionCanvas = null) {
    const features = geojson.features.filter((f) => regionIdOf(f) !== null && f.geometry);
    for (const feature of features) {
      const id = regionIdOf(feature);
      if (!regionNames.has(id)) regionNames.set(id, feature.properties?.name ?? id);
      const capital = feature.properties?.capital;
      if (typeof capital === 'string' && capital) capitals.set(id, capital);
    }
    const ids = RegionCanvas ? drawCanvasRegions(features, RegionCanvas) : drawSvgRegions(features);

    // Regions with a shape but absent from data.regions still get painted. The others
    // have their colour already: they only need their data attributes.
    for (const id of ids) {
      if (!trackedSet.has(id)) {
        trackedIds.push(id);
        trackedSet.add(id);
      }
    }
    for (const id of ids) {
      if (shown.has(id) && regionCanvas) {
        paintRegion(id, shown.get(id)); // canvas regions start without a colour
      } else if (shown.has(id)) {
        markRegion(id, shown.get(id));
      } else {
        const ev = timeline.holding(id, startDay + current);
        shown.set(id, ev);
        paintRegion(id, ev);
      }
    }
    if (selectedRegion !== null) selectRegion(selectedRegion);
    regionCanvas?.draw();
    // The interactive map covers the first picture (static/picture.js) now.
    mapEl.querySelector(':scope > .map-picture')?.remove();
    // The benchmark (go tool task bench) reads when the first map was drawn from this mark;
    // the embed page starts Pym on the event.
    win.performance?.mark?.('frontline:drawn');
    doc.dispatchEvent(new Event('frontline:drawn'));
  }

  /** Each region a Leaflet polygon in the SVG renderer; returns the regions' ids. */
  function drawSvgRegions(features) {
    const collection = { type: 'FeatureCollection', features };
    const fill = leaflet.geoJSON(collection, {
      renderer,
      style: (feature) => regionStyle(regionIdOf(feature)),
      onEachFeature: (feature, layer) => {
        const id = regionIdOf(feature);
        layers.set(id, layer);
        bindRegionEvents(id, layer);
      },
    });
    // The outline under the fills (which paint over all but the outer edge) shares the
    // fills' coordinates rather than reading the GeoJSON a second time.
    const outlineStyle = { renderer, interactive: false, stroke: true, color: OUTLINE_COLOR, weight: 4, opacity: 1, fill: false, lineJoin: 'round' };
    // One path for all of it: the outline's look is the same, its cost a single element.
    const rings = [];
    for (const layer of fill.getLayers()) {
      const latlngs = layer.getLatLngs();
      if (leaflet.LineUtil.isFlat(latlngs[0])) rings.push(latlngs);
      else rings.push(...latlngs);
    }
    const outline = leaflet.polygon(rings, outlineStyle);
    const bounds = fill.getBounds();
    if (!bounds.isValid()) throw new Error('the regions have no usable geometry');
    regionBounds = bounds;
    fitToRegions();
    outline.addTo(map); // first, so it sits under the fills
    fill.addTo(map);
    return [...layers.keys()];
  }

  // -------------------------------------------------------------------------
  // The canvas for large maps (static/canvas.js, loaded for them alone).

  let regionCanvas = null;

  /** The regions on one canvas; returns their ids. */
  function drawCanvasRegions(features, RegionCanvas) {
    regionCanvas = new RegionCanvas(features, {
      L: leaflet,
      map,
      idOf: regionIdOf,
      nameOf: (id) => regionNames.get(id) ?? id,
      colorOf,
      onOpen: openRegion,
      outline: OUTLINE_COLOR,
      border: BORDER_COLOR,
      hover: HOVER_COLOR,
      selected: SELECTED_COLOR,
      hatchBackground: HATCH_BACKGROUND,
      fallback: FALLBACK_COLOR,
    });
    regionBounds = regionCanvas.bounds;
    fitToRegions();
    regionCanvas.addTo(map);
    return regionCanvas.ids;
  }

  // Nothing to look at: no zooming or dragging an empty box.
  function disableMap() {
    for (const h of ['dragging', 'touchZoom', 'doubleClickZoom', 'scrollWheelZoom', 'boxZoom', 'keyboard']) {
      map[h]?.disable();
    }
    map.zoomControl?.remove();
  }

  function fitToRegions() {
    fitting = true;
    try {
      map.setMinZoom(0);
      map.setMaxBounds(null);
      map.fitBounds(regionBounds, { padding: [FIT_PADDING, FIT_PADDING], animate: false });
      map.setMinZoom(Math.max(0, map.getZoom() - 1));
      map.setMaxBounds(regionBounds.pad(0.6));
    } finally {
      fitting = false;
    }
  }

  // One <pattern> per faction: stripes of its colour on a light ground.
  function ensureHatch(f) {
    if (!svgDefs) return false;
    const id = `hatch-${f}`;
    if (svgDefs.ownerDocument.getElementById(id)) return true;
    const pattern = document.createElementNS(SVG_NS, 'pattern');
    pattern.setAttribute('id', id);
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '8');
    pattern.setAttribute('height', '8');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    const ground = document.createElementNS(SVG_NS, 'rect');
    ground.setAttribute('width', '8');
    ground.setAttribute('height', '8');
    ground.setAttribute('fill', HATCH_BACKGROUND);
    const stripe = document.createElementNS(SVG_NS, 'rect');
    stripe.setAttribute('width', '4');
    stripe.setAttribute('height', '8');
    stripe.setAttribute('fill', colorOf(f));
    pattern.append(ground, stripe);
    svgDefs.append(pattern);
    return true;
  }

  function fillFor(ev) {
    const f = timeline.factionOf(ev);
    if (regionCanvas) return timeline.isClaimed(ev) ? regionCanvas.hatch(f) : colorOf(f);
    if (timeline.isClaimed(ev) && ensureHatch(f)) return `url(#hatch-${f})`;
    return colorOf(f);
  }

  function regionStyle(id) {
    const ev = shown.has(id) ? shown.get(id) : timeline.holding(id, startDay + Math.max(current, 0));
    return {
      stroke: true,
      color: BORDER_COLOR,
      weight: 1,
      opacity: 1,
      lineJoin: 'round',
      fill: true,
      fillOpacity: 1,
      // Leaflet writes fillColor straight to the fill attribute, so a url()
      // survives later setStyle calls (hover) without re-applying it.
      fillColor: fillFor(ev),
    };
  }

  function paintRegion(id, ev) {
    if (regionCanvas) {
      regionCanvas.paint(id, fillFor(ev));
      return;
    }
    const layer = layers.get(id);
    if (!layer) return;
    const fill = fillFor(ev);
    const path = layer.getElement?.();
    if (path) {
      // Only the fill changes: Leaflet's setStyle would rewrite every style attribute of
      // the path. Its options are kept in step, for the hover's setStyle.
      layer.options.fillColor = fill;
      if (path.getAttribute('fill') !== fill) path.setAttribute('fill', fill);
    } else {
      layer.setStyle({ fillColor: fill });
    }
    markRegion(id, ev);
  }

  // The data attributes the page's tests and styles read: region, faction, claimed. Each is
  // written only when it changes: any write makes the browser look at the path's style again.
  function markRegion(id, ev) {
    const path = layers.get(id)?.getElement?.();
    if (!path) return;
    const faction = timeline.factionOf(ev);
    const claimed = String(timeline.isClaimed(ev));
    if (path.dataset.region !== id) path.dataset.region = id;
    if (path.dataset.faction !== faction) path.dataset.faction = faction;
    if (path.dataset.claimed !== claimed) path.dataset.claimed = claimed;
  }

  function bindRegionEvents(id, layer) {
    const tip = el('span', 'region-tooltip-name', regionNames.get(id));
    layer.bindTooltip(tip, { sticky: true, direction: 'top', offset: [0, -10], className: 'region-tooltip' });
    layer.on('mouseover', () => {
      layer.setStyle({ color: HOVER_COLOR, weight: 2.5 });
      layer.bringToFront();
    });
    layer.on('mouseout', () => layer.setStyle({ color: BORDER_COLOR, weight: 1 }));
    layer.on('click', (e) => {
      layer.closeTooltip();
      openRegion(id, e.latlng);
    });
  }

  /** A reader chose region id at latlng: its popup, and the event the change form follows. */
  function openRegion(id, latlng) {
    popupRegion = id;
    popup.setLatLng(latlng).setContent(popupContent(id)).openOn(map);
    doc.dispatchEvent(new CustomEvent('frontline:regionclick', { detail: { region: id } }));
  }

  let selectedRegion = null;

  /** Outline one region as chosen (the change form's), or none. */
  function selectRegion(id) {
    const before = selectedRegion;
    selectedRegion = id;
    if (regionCanvas) {
      regionCanvas.select(id);
      return;
    }
    if (before !== null) layers.get(before)?.getElement?.()?.classList.remove('selected');
    if (id !== null) layers.get(id)?.getElement?.()?.classList.add('selected');
  }

  // Built from nodes and textContent: names and notes come from editors.
  function popupContent(id) {
    const ev = shown.has(id) ? shown.get(id) : timeline.holding(id, startDay + current);
    const f = timeline.factionOf(ev);
    const box = el('div', 'region-popup');

    const title = el('h2', 'region-popup-name', regionNames.get(id) ?? id);
    box.append(title);
    if (capitals.has(id)) box.append(el('p', 'region-popup-capital', `Capital: ${capitals.get(id)}`));

    const holder = el('p', 'region-popup-holder');
    const swatch = el('span', 'swatch');
    paintSwatch(swatch, f);
    holder.append(swatch, ' ', el('strong', null, nameOf(f)));
    if (timeline.isClaimed(ev)) {
      holder.classList.add('is-claimed');
      holder.append(' ', el('em', 'claim-mark', '(claimed)'));
    }
    box.append(holder);

    const sinceIso = timeline.dateOf(ev);
    const since = el('p', 'region-popup-since', 'since ');
    const time = el('time', null, formatDate(sinceIso));
    time.dateTime = sinceIso;
    since.append(time);
    box.append(since);

    const note = el('p', 'region-popup-note');
    const links = el('p', 'region-popup-links');
    box.append(note, links);
    const fill = (details) => {
      if (typeof details?.note === 'string' && details.note.trim()) note.textContent = details.note;
      note.hidden = !note.textContent;
      links.replaceChildren();
      const href = details ? safeHttpUrl(details.source) : null;
      if (href) {
        const a = el('a', null, 'Source');
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        links.append(a);
      }
      // A static export has no history pages to link to (regionBase is empty there).
      if (regionBase) {
        const history = el('a', null, 'History');
        history.href = regionBase + encodeURIComponent(id);
        if (href) links.append(' · ');
        links.append(history);
      }
    };
    const details = timeline.detailsOf(ev);
    fill(details);
    if (!details && ev >= 0 && regionBase) {
      // A large map's page has no sources: ask for this region's events (a static export,
      // with no regionBase, has no server to ask).
      regionEvents(id).then((events) => fill(matchingEvent(events, ev))).catch((err) => {
        console.warn('frontline: the region\'s sources could not be loaded', err);
      });
    }
    return box;
  }

  const regionEventRequests = new Map(); // region id -> Promise of its live events

  /** The region's live events from the data API, asked once per page. */
  function regionEvents(id) {
    let request = regionEventRequests.get(id);
    if (!request) {
      const url = `/api/maps/${encodeURIComponent(data.slug)}/events?region=${encodeURIComponent(id)}`;
      request = fetch(url, { credentials: 'same-origin' }).then((res) => {
        if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
        return res.json();
      });
      request.catch(() => regionEventRequests.delete(id));
      regionEventRequests.set(id, request);
    }
    return request;
  }

  /** Of a region's events (sorted by date, then recording), the one the timeline's event
   * index ev stands for: the last on its date with its faction and confidence. */
  function matchingEvent(events, ev) {
    const date = timeline.dateOf(ev);
    const faction = timeline.factionOf(ev);
    const confidence = timeline.isClaimed(ev) ? 'claimed' : 'confirmed';
    let found = null;
    for (const e of Array.isArray(events) ? events : []) {
      if (e.date === date && String(e.faction) === faction && (e.confidence ?? 'confirmed') === confidence) found = e;
    }
    return found;
  }

  // -------------------------------------------------------------------------
  // Play, slider, date input, keys.

  function stepDelay() {
    return win.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? STEP_MS_REDUCED_MOTION : STEP_MS;
  }

  function setPlaying(on) {
    if (on === playing) return;
    playing = on;
    win.clearTimeout(playTimer);
    playTimer = 0;
    if (els.play) {
      els.play.textContent = on ? 'Pause' : 'Play';
      els.play.setAttribute('aria-pressed', String(on));
      els.play.classList.toggle('is-playing', on);
    }
    // An <output> is a live region; announcing every frame of playback is noise.
    if (els.label) {
      if (on) els.label.setAttribute('aria-live', 'off');
      else els.label.removeAttribute('aria-live');
    }
    if (on) playTimer = win.setTimeout(tick, stepDelay());
  }

  function tick() {
    if (!playing) return;
    setIndex(current + 1);
    if (current >= lastIndex) setPlaying(false);
    else playTimer = win.setTimeout(tick, stepDelay());
  }

  function togglePlay() {
    if (playing) {
      setPlaying(false);
      return;
    }
    if (current >= lastIndex) setIndex(0);
    setPlaying(true);
  }

  /** Arrow keys step a day; returns true when the key was used. */
  function handleStepKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
    if (e.key === 'Escape' && playing) {
      setPlaying(false);
      return false;
    }
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return false;
    if (isTextEntry(e.target)) return false;
    e.preventDefault();
    setPlaying(false);
    setIndex(current + (e.key === 'ArrowRight' ? 1 : -1));
    return true;
  }

  function wireControls() {
    if (els.slider) {
      els.slider.min = '0';
      els.slider.max = String(lastIndex);
      els.slider.step = '1';
      els.slider.hidden = false;
      // Any input event comes from the reader (setting .value fires none).
      els.slider.addEventListener('input', () => {
        setPlaying(false);
        setIndex(Number(els.slider.value));
      });
      els.slider.addEventListener('pointerdown', () => setPlaying(false));
    }
    if (els.play) {
      els.play.hidden = false;
      els.play.addEventListener('click', togglePlay);
    }
    if (els.submit) els.submit.hidden = true;
    const jumpToInput = () => {
      const day = epochDay(els.input.value);
      if (!Number.isFinite(day) || day < startDay || day > endDay) return false;
      setPlaying(false);
      setIndex(day - startDay);
      return true;
    };
    if (els.input) {
      els.input.min = data.start;
      els.input.max = data.end;
      els.input.addEventListener('change', () => {
        // An empty value is a half-typed date; anything else out of range gets the browser's message.
        if (!jumpToInput() && els.input.value !== '') els.input.reportValidity();
      });
    }
    if (els.form) {
      els.form.addEventListener('submit', (e) => {
        e.preventDefault();
        if (els.input && !jumpToInput()) els.input.reportValidity();
      });
    }
    doc.addEventListener('keydown', handleStepKey);
  }

  // -------------------------------------------------------------------------
  // Public API.

  function dayIndexOf(iso) {
    const day = epochDay(iso);
    if (!Number.isFinite(day)) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
    return day - startDay;
  }

  function ensureTimeline() {
    if (!timeline) throw new Error('the map\'s timeline is still loading: wait for ready');
  }

  let resolveReady;
  const api = {
    /** Resolves once the map follows dates (a large map's timeline has arrived). */
    ready: new Promise((resolve) => (resolveReady = resolve)),
    /** Show the map at iso (YYYY-MM-DD, within start..end); returns the date shown. */
    setDate(iso) {
      ensureTimeline();
      const idx = dayIndexOf(iso);
      if (idx < 0 || idx > lastIndex) throw new RangeError(`${iso} is outside ${data.start}..${data.end}`);
      setPlaying(false);
      setIndex(idx);
      return isoDate(startDay + current);
    },
    /** {regions: {id: faction}, counts: {faction: n}} at iso (default: the date shown). */
    state(iso) {
      ensureTimeline();
      const day = iso === undefined ? startDay + current : startDay + dayIndexOf(iso);
      return timeline.state(day);
    },
    /** Who holds region id at iso: {faction, since, claimed}, or null before ready. */
    holder(id, iso) {
      const day = epochDay(iso);
      if (!timeline || !Number.isFinite(day)) return null;
      const ev = timeline.holding(String(id), day);
      return { faction: timeline.factionOf(ev), since: timeline.dateOf(ev), claimed: timeline.isClaimed(ev) };
    },
    /** Outline region id as chosen (the change form's region), or none for null. */
    select(id) {
      selectRegion(id === null || id === undefined ? null : String(id));
    },
    map,
  };

  // Start: at once with the events inline, else when the compact timeline has arrived.
  function begin() {
    let startIdx = epochDay(data.date) - startDay;
    if (!Number.isFinite(startIdx)) startIdx = 0;
    wireControls();
    // The server rendered the page, table included, at data.date.
    setIndex(startIdx, { force: true, rowsShown: startIdx === epochDay(data.date) - startDay });
    win.clearTimeout(urlTimer); // the URL already says where we are
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
      if (mapEl && !(map && data.geojson)) showMapMessage(mapEl, 'The map cannot follow dates: its timeline could not be loaded. The table shows the date below.', 'alert');
    });
  }
  if (map && data.geojson) loadShapes();
  else if (map) {
    disableMap();
    showMapMessage(mapEl, 'This map has no shapes to draw.', 'alert');
  }
  return api;
}

/**
 * The bytes at url (a compact timeline). No custom headers: the request must match the
 * page's <link rel="preload" as="fetch" crossorigin> for the browser to reuse its response.
 */
async function fetchBytes(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

function showMapMessage(mapEl, text, role) {
  const box = el('div', 'map-message', text);
  box.setAttribute('role', role);
  mapEl.append(box);
  return box;
}

// ---------------------------------------------------------------------------
// Auto-start on pages that carry map data, once static/picture.js has drawn the first
// picture and run Leaflet. `started` resolves with window.frontline (null: no map data).

export const started = leaflet.then(() => {
  if (typeof document === 'undefined' || !document.getElementById('map-data')) return null;
  // An embedded map lives in someone else's article: it leaves the iframe's URL and the
  // title alone.
  const embedded = document.body?.hasAttribute('data-embed') ?? false;
  const controller = init(document, { updateHistory: !embedded, updateTitle: !embedded });
  if (!controller) return null;
  window.frontline = Object.freeze({
    setDate: (iso) => controller.setDate(iso),
    state: (iso) => controller.state(iso),
    holder: (id, iso) => controller.holder(id, iso),
    select: (id) => controller.select(id),
    ready: controller.ready,
  });
  return window.frontline;
});
