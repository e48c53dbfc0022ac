// How a map page starts. The server has drawn the map at the page's date as an inline <svg>
// in the map box (.map-inline, web/inline_map.go), which shows at first paint and without
// JavaScript.
//
// A map of fewer than 1,000 regions (web's canvasMinRegions) and no tiles has an exact inline
// map, and the server says so (the page data's lite): that map is the live one (map/live.js recolours it,
// opens its popups, lists it for the keyboard), and Leaflet, its style sheet, the shapes and
// the land around are loaded only when the reader asks for more than the picture gives, a
// zoom or a pan (liteMap, loadLeaflet). The page names their URLs in <meta> tags rather than
// preloading them.
//
// Otherwise (a large map, whose inline picture is coarse; tiles) this module asks for the
// region shapes and, for a canvas map, the canvas layer's module at once (the page preloads
// them all, with Leaflet's script), and runs Leaflet's script as soon as it is in, with its
// style sheet loading alongside rather than before it.
//
// A light page whose server wrote the early script beside the map (./early.js: the slider
// live from the first frame) starts as soon as that frame is out, without waiting a frame.
//
// Either way, static/map.js builds Leaflet's map over the inline one, framed the same way
// (static/map/view.js fits the regions with FIT_PADDING, as map.css insets the <svg>), and
// takes the inline map away once Leaflet has painted (removeInline).

import { EARLY_PAINTED } from './early.js';
import { loadCanvasLayer } from './layer.js';
import { wrapFeatures, wrapPlaces } from './wrap.js';

// The padding (each side, pixels) of Leaflet's fit of the regions, which map.css gives
// .map-inline too; and the zoom step of the reader's zooming (the fit itself is exact).
export const FIT_PADDING = 12;
export const ZOOM_SNAP = 0.25;

const parsed = new WeakMap();

/**
 * The page's map data (#map-data), parsed once for this module and map.js; its places drawn
 * across the antimeridian as the map is (./wrap.js).
 */
export function mapData(node) {
  if (!parsed.has(node)) parsed.set(node, wrapPlaces(JSON.parse(node.textContent)));
  return parsed.get(node);
}

let shapes = null; // {url, promise} of the region shapes this module asked for

/**
 * The page's region shapes (data, the page data): the canvas layer's, projected by the
 * server, where it offers them (data.shapes: ./shapes.js, no JSON to parse), else its
 * GeoJSON (fetchShapes); the request this module made already, if it made it.
 */
export function pageShapes(data) {
  const url = data.shapes || data.geojson;
  if (shapes?.url === url) return shapes.promise;
  // ./shapes.js is asked for with the bytes, not imported with this module: only a canvas
  // map reads it, and a light map's page would carry it on the wire for nothing (1 kB of the
  // 395 counties' embed, whose bytes are held against a page of Leaflet alone).
  if (!data.shapes) return fetchShapes(url, data.wrapCentre);
  return Promise.all([fetchBytes(url), import('./shapes.js')]).then(([bytes, { decodeShapes }]) => decodeShapes(bytes));
}

/**
 * The region shapes at url (GeoJSON), parsed, drawn within 180° of wrapCentre when the map
 * runs across the antimeridian (./wrap.js).
 */
function fetchShapes(url, wrapCentre) {
  return fetch(url, { credentials: 'same-origin' })
    .then((res) => {
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
      return res.json();
    })
    .then((geojson) => wrapFeatures(geojson, wrapCentre));
}

/** A GeoJSON geometry's polygons, each a list of rings: none unless (Multi)Polygon. */
export const polygonsOf = (g) => (g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []);

/**
 * Take the server's inline map out of mapEl once Leaflet's layers have painted: two frames
 * on, as Leaflet's canvas draws in the frame after it is asked to. Until then the inline map
 * lies under Leaflet's panes, so no frame shows the box empty.
 */
export function removeInline(mapEl) {
  const inline = mapEl.querySelector(':scope > .map-inline');
  if (!inline) return;
  const win = mapEl.ownerDocument.defaultView ?? window;
  win.requestAnimationFrame(() => win.requestAnimationFrame(() => inline.remove()));
}

/**
 * Whether the server's inline map in mapEl is the live map (see above): the server says so
 * (web's mapScript.Lite), and the picture is there with its regions' ids.
 */
export function liteMap(data, mapEl) {
  return data?.lite === true && !!mapEl?.querySelector(':scope > .map-inline [data-inline-region]');
}

/**
 * The URL of a Leaflet file of the page: the one it preloads (a large map's page), else the
 * one its <meta name="frontline-leaflet-NAME"> names (a light page, which loads it late).
 */
function leafletURL(as, name) {
  const preload = document.querySelector(`link[rel="preload"][as="${as}"][href*="leaflet"]`);
  return preload?.href ?? document.querySelector(`meta[name="frontline-leaflet-${name}"]`)?.content ?? '';
}

let leafletLoading = null;

/**
 * Run Leaflet's script and link its style sheet, both at once (the script needs no style to
 * run; only the map made after it does), and resolve with window.L once both are in, or with
 * undefined when the script cannot load: map.js then says the map could not start. Once per
 * page.
 */
export function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  leafletLoading ??= Promise.all([loadLeafletStyles(), loadLeafletScript()]).then(() => window.L);
  return leafletLoading;
}

/** Run Leaflet's script; resolves once it has run or failed. */
function loadLeafletScript() {
  return new Promise((resolve) => {
    const src = leafletURL('script', 'js');
    if (!src) return resolve();
    const script = document.createElement('script');
    script.src = src;
    script.onload = script.onerror = () => resolve();
    document.head.append(script);
  });
}

/**
 * Link Leaflet's style sheet, when the page does not link it already (the embed, whose first
 * paint waits for no style sheet; a light page), and resolve once it has loaded or failed:
 * Leaflet lays its panes out by it.
 */
function loadLeafletStyles() {
  const href = leafletURL('style', 'css');
  if (!href || document.querySelector('link[rel="stylesheet"][href*="leaflet"]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
}

/**
 * Resolves with Leaflet (window.L) once it has run, on a page that needs it at once; with
 * undefined once the first frame is out on a light page (liteMap), which loads it later.
 */
export const leaflet = start();

function start() {
  // Nothing to start outside a page (node --test reads the modules that import this one).
  if (typeof document === 'undefined') return Promise.resolve(undefined);
  let lite = false;
  try {
    const node = document.getElementById('map-data');
    const data = node && mapData(node);
    lite = liteMap(data, document.getElementById('map'));
    if (!lite && data && typeof data.geojson === 'string' && data.geojson) {
      shapes = { url: data.shapes || data.geojson, promise: pageShapes(data) };
      shapes.promise.catch(() => {}); // map.js reports a failure where it awaits them
    }
    if (!lite && data?.renderer === 'canvas') {
      // The canvas layer's module (map/layer.js imports it when Leaflet has run) is fetched
      // and compiled now, beside the shapes, rather than as one more hop after Leaflet.
      loadCanvasLayer().catch(() => {}); // layer.js reports a failure
    }
  } catch {
    // map.js says the data is unreadable.
  }
  if (!lite) {
    // A large map (or tiles): Leaflet's script runs as soon as it is in (the page preloads
    // it), not after the first frame. That frame is the server's coarse picture, committed
    // before this module runs; what kept the frame out was rasterising the picture, off the
    // main thread, which sat idle meanwhile (a cold load of the 3,230 US counties: the frame
    // out at 520 ms, Leaflet run after it, drawn at 1,130; docs/benchmarks.md, "Large maps
    // start in one round"). The map is drawn over the picture only when the shapes are in.
    return loadLeaflet();
  }
  if (document.getElementById('map-early')) return earlyPainted().then(() => undefined);
  const firstFrame = new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return firstFrame.then(() => undefined);
}

/**
 * Resolves once the early script (./early.js, inline beside a light map) has had its first
 * frame painted: at once when it has, as it usually has by the time this module runs, rather
 * than a frame later; the reader's slider has been live since that frame.
 */
function earlyPainted() {
  if (performance.getEntriesByName(EARLY_PAINTED).length > 0) return Promise.resolve();
  return new Promise((resolve) => document.addEventListener(EARLY_PAINTED, resolve, { once: true }));
}

/**
 * Take each region's name (unless names has it already, from the page data) and capital from
 * the shapes' properties, into the maps names and capitals (id -> text).
 */
export function learnNames(features, names, capitals) {
  for (const feature of features) {
    const id = regionIdOf(feature);
    if (!names.has(id)) names.set(id, feature.properties?.name ?? id);
    const capital = feature.properties?.capital;
    if (typeof capital === 'string' && capital) capitals.set(id, capital);
  }
}

/** A GeoJSON feature's region id (its id, or properties.id), or null for none. */
export function regionIdOf(feature) {
  const id = feature.id ?? feature.properties?.id;
  return id === undefined || id === null ? null : String(id);
}

/**
 * The bytes at url (a compact timeline). No custom headers: the request must match the
 * page's <link rel="preload" as="fetch" crossorigin> for the browser to reuse its response.
 */
export async function fetchBytes(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}
