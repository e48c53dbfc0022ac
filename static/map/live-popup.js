// The live inline map's popup (./live.js): the content of Leaflet's (ui/popup.js's
// popupContents) in a box of the map's own, pointing at the place clicked and kept inside
// the map box (docked to its edges rather than panned, as the picture does not pan), with
// its content scrolling when the box is short (popupMaxHeight), as on a 375-pixel phone.

import { POPUP_MARGIN, popupMaxHeight } from '../ui/popup.js';

// The popup's tip, in pixels from the point it shows.
const TIP = 12;

/**
 * The popup of mapEl, placed through view (./live-view.js: screen(q), original(p)). Returns
 * {open(id, q, content), update(content), place(), close(), remove(), id(), origin()}; q is
 * a point of the fitted view, content an element or a promise of one.
 */
export function createLivePopup(mapEl, view, words = {}) {
  const doc = mapEl.ownerDocument;
  let box = null;
  let body = null;
  let shown = null; // {id, q}
  let version = 0; // the latest content asked for wins

  function make() {
    box = doc.createElement('div');
    box.className = 'map-popup region-popup-wrap';
    const close = doc.createElement('button');
    close.type = 'button';
    close.className = 'map-popup-close';
    if (words.closePopup) close.setAttribute('aria-label', words.closePopup);
    close.textContent = '\u00d7';
    close.addEventListener('click', () => api.close());
    body = doc.createElement('div');
    body.className = 'map-popup-content';
    box.append(close, body);
    box.hidden = true;
    mapEl.append(box);
  }

  function fill(content) {
    const mine = ++version;
    Promise.resolve(content).then((node) => {
      if (mine !== version || !shown || !node) return;
      body.replaceChildren(node);
      box.hidden = false;
      api.place();
    }, (err) => console.warn('frontline: the popup could not be shown', err));
  }

  const api = {
    open(id, q, content) {
      if (!box) make();
      shown = { id, q };
      fill(content);
    },
    update(content) {
      if (shown) fill(content);
    },
    /** Put the box at its point: above it when there is room, else below, inside the map. */
    place() {
      if (!shown || !box || box.hidden) return;
      const w = mapEl.clientWidth;
      const h = mapEl.clientHeight;
      body.style.maxHeight = `${popupMaxHeight(h)}px`;
      const p = view.screen(shown.q);
      box.style.left = '0px'; // measured at full width: its width shrinks to fit what is left
      const bw = box.offsetWidth;
      const bh = box.offsetHeight;
      const left = Math.max(POPUP_MARGIN, Math.min(p.x - bw / 2, w - bw - POPUP_MARGIN));
      let top = p.y - TIP - bh;
      let side = 'above';
      if (top < POPUP_MARGIN) {
        top = p.y + TIP;
        side = 'below';
      }
      if (top + bh > h - POPUP_MARGIN) {
        top = Math.max(POPUP_MARGIN, h - POPUP_MARGIN - bh);
        side = 'over';
      }
      box.dataset.side = side;
      box.style.left = `${Math.round(left)}px`;
      box.style.top = `${Math.round(top)}px`;
      box.style.setProperty('--tip-x', `${Math.round(Math.max(12, Math.min(p.x - left, bw - 12)))}px`);
    },
    close() {
      shown = null;
      version++;
      if (box) box.hidden = true;
    },
    remove() {
      api.close();
      box?.remove();
    },
    id: () => shown?.id ?? null,
    origin: () => shown?.q ?? null,
  };
  return api;
}
