// The live inline map's view (./live.js): zoom buttons like Leaflet's, and the wheel, a
// double click, a drag, a pinch and Leaflet's zoom keys, which move the picture at once (a CSS transform of the
// <svg>) and ask for Leaflet (onMore), which then takes over at the same view (handOver).
// Points are in the map box's pixels; "original" ones are where they were in the server's
// picture (the fitted view, which Leaflet's fit reproduces), "screen" ones where they show now.

import { FIT_PADDING, ZOOM_SNAP } from './start.js';

// How far the picture zooms: as Leaflet's view allows (view.js: one level out of the fit),
// and its wheel (wheelPxPerZoomLevel) and snap.
const MIN_ZOOM = -1;
const MAX_ZOOM = 8;
const WHEEL_PX_PER_ZOOM = 120;
// A pointer that moves less than this is a click, not a drag.
const DRAG_PX = 4;

/**
 * The levels a key zooms by on the map's box, as Leaflet's keyboard handler does (its
 * zoomIn and zoomOut keys, three levels with Shift): 0 for any other key, or one with Alt,
 * Control or Meta (the browser's own zoom). The key is e.key, so "=" and "+" are one key on
 * most layouts, as Leaflet's key codes make them.
 */
export function zoomKey({ key, shiftKey = false, altKey = false, ctrlKey = false, metaKey = false }) {
  if (altKey || ctrlKey || metaKey) return 0;
  const levels = shiftKey ? 3 : 1;
  if (key === '+' || key === '=') return levels;
  if (key === '-' || key === '_') return -levels;
  return 0;
}

/**
 * The view of svg in mapEl. onMove() after each move (the popup follows), onMore() when the
 * reader zooms or pans. Returns {original(p), screen(q), handOver(map), remove()}.
 */
export function createLiveView(mapEl, svg, { rtl = false, words = {}, onMove = () => {}, onMore = () => {} }) {
  const doc = mapEl.ownerDocument;
  let zoom = 0; // levels from the fit (the transform's scale is 2^zoom)
  let tx = 0;
  let ty = 0; // the picture's shift, in pixels: an original point q shows at 2^zoom (q - inset) + t + inset
  const scale = () => 2 ** zoom;
  let scaleHidden = false; // the picture's scale bar, once it has moved

  function apply() {
    svg.style.transformOrigin = '0 0';
    svg.style.transform = `translate(${tx}px, ${ty}px) scale(${scale()})`;
    // The picture's scale bar (geo/scalebar.go) is true of its fit alone, and moves with it:
    // once moved, the reader waits for Leaflet's (static/map/scale.js) rather than a wrong one.
    if (!scaleHidden) for (const g of svg.querySelectorAll('.map-inline-scale')) g.style.visibility = 'hidden';
    scaleHidden = true; // once: apply runs at every move of a drag
    onMove();
    onMore();
  }

  /** Zoom by levels around the screen point p (the box's centre for none). */
  function zoomBy(levels, p = centre()) {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round((zoom + levels) / ZOOM_SNAP) * ZOOM_SNAP));
    if (next === zoom) return onMore();
    const k = 2 ** (next - zoom);
    const [qx, qy] = [p.x - FIT_PADDING, p.y - FIT_PADDING];
    tx = qx - k * (qx - tx);
    ty = qy - k * (qy - ty);
    zoom = next;
    apply();
  }

  function panBy(dx, dy) {
    tx += dx;
    ty += dy;
    apply();
  }

  const centre = () => ({ x: mapEl.clientWidth / 2, y: mapEl.clientHeight / 2 });
  const local = (e) => {
    const r = mapEl.getBoundingClientRect();
    return { x: e.clientX - r.x, y: e.clientY - r.y };
  };

  // Leaflet's zoom control, in its place: top left, or top right in a page read right to left.
  const bar = doc.createElement('div');
  bar.className = `map-zoom${rtl ? ' map-zoom-end' : ''}`;
  const button = (cls, text, label, levels) => {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', () => zoomBy(levels));
    bar.append(b);
  };
  button('map-zoom-in', '+', words.zoomIn ?? '+', 1);
  button('map-zoom-out', '\u2212', words.zoomOut ?? '\u2212', -1);
  mapEl.prepend(bar);

  // The box takes the focus, as Leaflet's map will (its keyboard handler makes it a Tab stop),
  // and its zoom keys zoom; not those typed in the keyboard's list of regions.
  if (!mapEl.hasAttribute('tabindex')) mapEl.tabIndex = 0;
  const onKey = (e) => {
    const levels = zoomKey(e);
    if (!levels || e.defaultPrevented || e.target.closest?.('.map-keys')) return;
    e.preventDefault();
    zoomBy(levels);
  };
  mapEl.addEventListener('keydown', onKey);

  // A wheel's turn in pixels (its deltaMode: pixels, lines or pages), as a zoom about the pointer.
  const wheelZoom = (e) => {
    const px = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaMode === 2 ? e.deltaY * 800 : e.deltaY;
    zoomBy(-px / WHEEL_PX_PER_ZOOM, local(e));
  };
  const onWheel = (e) => {
    e.preventDefault();
    wheelZoom(e);
  };
  // The wheel listener that may cancel the page's scroll (passive: false) is there only
  // while the pointer is over the picture. While it is, Chromium records a region of every
  // path it covers for the compositor (which must ask the page before it scrolls there),
  // and lays those regions out again at every frame whose paint moves anything (the slider's
  // thumb, in a scrub): 395 paths' regions were a third of the 395-county map's main-thread
  // time a frame (docs/benchmarks.md). A wheel before the pointer came in (a page loaded
  // under it) still zooms, through the passive listener, and the page may scroll with it.
  let armed = false;
  const arm = (on) => {
    if (on === armed) return;
    armed = on;
    if (on) svg.addEventListener('wheel', onWheel, { passive: false });
    else svg.removeEventListener('wheel', onWheel, { passive: false });
  };
  const onWheelUnarmed = (e) => {
    if (armed) return;
    wheelZoom(e);
    arm(true);
  };
  const onEnter = () => arm(true);
  const onLeave = () => arm(false);
  const onDblClick = (e) => {
    e.preventDefault();
    zoomBy(e.shiftKey ? -1 : 1, local(e));
  };

  // Drags and pinches, from pointer events: one pointer pans, two zoom around their middle.
  const pointers = new Map(); // pointerId -> last point
  let dragged = false;
  const onDown = (e) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    pointers.set(e.pointerId, local(e));
    if (pointers.size === 1) dragged = false;
  };
  const onPointerMove = (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    const p = local(e);
    if (pointers.size === 1) {
      if (!dragged && Math.hypot(p.x - last.x, p.y - last.y) < DRAG_PX) return;
      if (!dragged) svg.setPointerCapture?.(e.pointerId);
      dragged = true;
      pointers.set(e.pointerId, p);
      panBy(p.x - last.x, p.y - last.y);
      return;
    }
    const [a, b] = [...pointers.values()];
    const before = Math.hypot(a.x - b.x, a.y - b.y);
    pointers.set(e.pointerId, p);
    const [c, d] = [...pointers.values()];
    const after = Math.hypot(c.x - d.x, c.y - d.y);
    dragged = true;
    if (before > 0 && after > 0) zoomBy(Math.log2(after / before), { x: (c.x + d.x) / 2, y: (c.y + d.y) / 2 });
  };
  const onUp = (e) => pointers.delete(e.pointerId);
  // A drag ends in a click on the shape under it: not a click to open a popup.
  const onClickCapture = (e) => {
    if (!dragged) return;
    dragged = false;
    e.stopImmediatePropagation();
  };
  svg.addEventListener('wheel', onWheelUnarmed, { passive: true });
  svg.addEventListener('pointerenter', onEnter);
  svg.addEventListener('pointerleave', onLeave);
  svg.addEventListener('dblclick', onDblClick);
  svg.addEventListener('pointerdown', onDown);
  svg.addEventListener('pointermove', onPointerMove);
  for (const type of ['pointerup', 'pointercancel']) svg.addEventListener(type, onUp);
  svg.addEventListener('click', onClickCapture, true);

  function remove() {
    bar.remove();
    mapEl.removeEventListener('keydown', onKey);
    arm(false);
    svg.removeEventListener('wheel', onWheelUnarmed, { passive: true });
    svg.removeEventListener('pointerenter', onEnter);
    svg.removeEventListener('pointerleave', onLeave);
    svg.removeEventListener('dblclick', onDblClick);
    svg.removeEventListener('pointerdown', onDown);
    svg.removeEventListener('pointermove', onPointerMove);
    for (const type of ['pointerup', 'pointercancel']) svg.removeEventListener(type, onUp);
    svg.removeEventListener('click', onClickCapture, true);
  }

  return {
    /** Where the screen point p was in the fitted view. */
    original: (p) => ({ x: (p.x - FIT_PADDING - tx) / scale() + FIT_PADDING, y: (p.y - FIT_PADDING - ty) / scale() + FIT_PADDING }),
    /** Where the fitted view's point q shows now. */
    screen: (q) => ({ x: (q.x - FIT_PADDING) * scale() + tx + FIT_PADDING, y: (q.y - FIT_PADDING) * scale() + ty + FIT_PADDING }),
    /** Leaflet's map (fitted as the server's picture) moves to the picture's view now. */
    handOver(map) {
      remove();
      if (zoom === 0 && tx === 0 && ty === 0) return;
      const c = centre();
      const q = { x: (c.x - FIT_PADDING - tx) / scale() + FIT_PADDING, y: (c.y - FIT_PADDING - ty) / scale() + FIT_PADDING };
      // Unsnapped, as the fit (view.js): the fit's zoom plus whole quarters is the picture's.
      const snap = map.options.zoomSnap;
      map.options.zoomSnap = 0;
      try {
        map.setView(map.containerPointToLatLng([q.x, q.y]), map.getZoom() + zoom, { animate: false });
      } finally {
        map.options.zoomSnap = snap;
      }
    },
    remove,
  };
}
