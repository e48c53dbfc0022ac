// The Leaflet map in the page's #map box: made at once so that the box shows, fitted to
// the regions once a layer knows their bounds, and kept fitted (phone rotation, late layout)
// until the reader pans or zooms.

import { FIT_PADDING, ZOOM_SNAP } from './start.js';

/**
 * The map in mapEl. onKey(e) gets the keys pressed on the map first and returns true when
 * it used one (the date's arrow keys). Returns {map, fit(bounds), disable()}.
 */
export function createView(L, mapEl, { attribution = '', onKey = () => false, words = {} } = {}) {
  const win = mapEl.ownerDocument.defaultView ?? window;
  const map = L.map(mapEl, {
    preferCanvas: false,
    zoomControl: false, // made below, its buttons named in the page's language
    attributionControl: true,
    zoomSnap: ZOOM_SNAP,
    zoomDelta: 1,
    wheelPxPerZoomLevel: 120,
  });
  map.zoomControl = L.control.zoom({ zoomInTitle: words.zoomIn ?? 'Zoom in', zoomOutTitle: words.zoomOut ?? 'Zoom out' }).addTo(map);
  // Leaflet names its popups' close button in English; the page's words name it here.
  if (words.closePopup) {
    map.on('popupopen', (e) => e.popup.getElement()?.querySelector('.leaflet-popup-close-button')?.setAttribute('aria-label', words.closePopup));
  }
  // A placeholder view until the shapes arrive: Leaflet throws on wheel or
  // drag before it has one.
  map.setView([0, 0], 1, { animate: false });
  if (mapEl.ownerDocument.documentElement.dir === 'rtl') {
    // A page read right to left has its controls mirrored: zoom at the top right, where
    // the eye starts, and the credits at the bottom left.
    map.zoomControl.setPosition('topright');
    map.attributionControl.setPosition('bottomleft');
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (typeof attribution === 'string' && attribution) map.attributionControl.addAttribution(escapeHtml(attribution));
  // Leaflet pans on ArrowLeft/Right while the map has focus (its listener is
  // on document); here those keys step the date instead, so stop them at the
  // container. Shift+Arrow still reaches Leaflet and pans.
  mapEl.addEventListener('keydown', (e) => {
    if (onKey(e)) e.stopPropagation();
  });

  let bounds = null;
  let fitting = false;
  let userMoved = false;
  // Until the reader pans or zooms, keep the regions fitted to the box; after that, respect
  // their view.
  map.on('dragstart popupopen', () => (userMoved = true));
  map.on('zoomstart', () => {
    if (!fitting) userMoved = true;
  });
  if ('ResizeObserver' in win) {
    new win.ResizeObserver(() => {
      map.invalidateSize({ pan: false });
      if (bounds && !userMoved) fit(bounds);
    }).observe(mapEl);
  }

  function fit(b) {
    bounds = b;
    fitting = true;
    try {
      map.setMinZoom(0);
      map.setMaxBounds(null);
      // At the exact zoom that fits, not a snapped one: the server's inline map is scaled so
      // (preserveAspectRatio "meet" inside FIT_PADDING), and Leaflet takes over without a jump.
      map.options.zoomSnap = 0;
      try {
        map.fitBounds(bounds, { padding: [FIT_PADDING, FIT_PADDING], animate: false });
      } finally {
        map.options.zoomSnap = ZOOM_SNAP;
      }
      map.setMinZoom(Math.max(0, map.getZoom() - 1));
      map.setMaxBounds(bounds.pad(0.6));
    } finally {
      fitting = false;
    }
  }

  // Nothing to look at: no zooming or dragging an empty box.
  function disable() {
    for (const h of ['dragging', 'touchZoom', 'doubleClickZoom', 'scrollWheelZoom', 'boxZoom', 'keyboard']) {
      map[h]?.disable();
    }
    map.zoomControl?.remove();
  }

  return { map, fit, disable };
}

/** A message over the map's box: role "status" while it loads, "alert" when it fails. */
export function showMapMessage(mapEl, text, role) {
  const box = mapEl.ownerDocument.createElement('div');
  box.className = 'map-message';
  box.textContent = text;
  box.setAttribute('role', role);
  mapEl.append(box);
  return box;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

