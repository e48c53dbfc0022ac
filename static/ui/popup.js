// The popup of a region a reader clicks: its holder, since when, the editor's note and
// links to the source and the region's history. Built from nodes and textContent: names
// and notes come from editors.

import { formatDate } from '../model/dates.js';
import { fillTemplate } from '../model/template.js';
import { el, paintSwatch, safeHttpUrl } from './dom.js';

// The room Leaflet keeps between a popup and the map's edge when it pans one into view (and
// the live inline map's popup keeps from its box's edges, map/live-popup.js).
export const POPUP_MARGIN = 16;
// What a popup's frame adds to its content's height: padding, the close button's row and
// the tip pointing at the region.
const POPUP_FRAME = 56;

/** The height a popup's content may take on a map mapHeight pixels tall (at least 96). */
export function popupMaxHeight(mapHeight) {
  return Math.max(96, Math.floor(mapHeight - 2 * POPUP_MARGIN - POPUP_FRAME));
}

/**
 * The map's popup on a Leaflet map. L and map are Leaflet's; the rest are popupContents'.
 * Returns {open(id, latlng), refresh(id)}.
 */
export function createPopup({ L, map, ...options }) {
  const { content } = popupContents(options);
  const popup = L.popup({ maxWidth: 300, autoPanPadding: [POPUP_MARGIN, POPUP_MARGIN], className: 'region-popup-wrap' });
  let popupRegion = null;
  map.on('popupclose', (e) => {
    if (e.popup === popup) popupRegion = null;
  });

  /** Show region id's popup at latlng. */
  function open(id, latlng) {
    popupRegion = id;
    // No taller than the map can show: Leaflet pans a popup into view, but one taller than
    // the map (a phone's, an embed's) kept its top above it. The content scrolls instead.
    popup.options.maxHeight = popupMaxHeight(map.getSize().y);
    popup.setLatLng(latlng).setContent(content(id)).openOn(map);
  }

  /** Region id's event changed: an open popup of it follows. */
  function refresh(id) {
    if (id === popupRegion && popup.isOpen()) popup.setContent(content(id));
  }

  return { open, refresh };
}

/**
 * What a region's or place's popup says, whichever map shows it (Leaflet's, or the live
 * inline map's box, map/live.js). timeline() is the map's timeline, eventOf(id) the event
 * in force on the date shown, nameOf(id) a region's name, capitalOf(id) its capital or
 * undefined, factionName(f) and colorOf(f) a faction's, historyOf(id) the address of a
 * region's or place's history ('' for none). historyTarget is where the history opens:
 * '_blank' in an embed, whose iframe must not leave the article's map for a page that
 * refuses framing. Returns {content(id)}: a new element each call.
 */
export function popupContents({ timeline, eventOf, nameOf, capitalOf, factionName, colorOf, regionBase, slug, historyOf, historyTarget = '', labels }) {
  // The page's words (page data labels.words), English where a page gives none.
  const words = { capital: 'Capital: {name}', claimed: '(claimed)', since: 'since', source: 'Source', history: 'History', ...labels?.words };
  const regionEventRequests = new Map(); // region id -> Promise of its live events

  function popupContent(id) {
    const tl = timeline();
    const ev = eventOf(id);
    const f = tl.factionOf(ev);
    const box = el('div', 'region-popup');

    const title = el('h2', 'region-popup-name', nameOf(id));
    box.append(title);
    const capital = capitalOf(id);
    if (capital) box.append(el('p', 'region-popup-capital', fillTemplate(words.capital, { name: capital })));

    const holder = el('p', 'region-popup-holder');
    const swatch = el('span', 'swatch');
    paintSwatch(swatch, f, colorOf);
    holder.append(swatch, ' ', el('strong', null, factionName(f)));
    if (tl.isClaimed(ev)) {
      holder.classList.add('is-claimed');
      holder.append(' ', el('em', 'claim-mark', words.claimed));
    }
    box.append(holder);

    const sinceIso = tl.dateOf(ev);
    const since = el('p', 'region-popup-since', `${words.since} `);
    const time = el('time', null, formatDate(sinceIso, labels?.dates));
    time.dateTime = sinceIso;
    since.append(time);
    box.append(since);

    const note = el('p', 'region-popup-note');
    // A long note scrolls (max-height in map.css): focusable, so the keyboard can scroll it.
    note.tabIndex = 0;
    note.dir = 'auto'; // an editor's words, in whatever language the source was
    const links = el('p', 'region-popup-links');
    box.append(note, links);
    const fill = (details) => {
      if (typeof details?.note === 'string' && details.note.trim()) note.textContent = details.note;
      note.hidden = !note.textContent;
      links.replaceChildren();
      const href = details ? safeHttpUrl(details.source) : null;
      if (href) {
        const a = el('a', null, words.source);
        a.href = href;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        links.append(a);
      }
      // A static export has no history pages to link to (historyOf gives none there).
      const historyURL = historyOf ? historyOf(id) : regionBase ? regionBase + encodeURIComponent(id) : '';
      if (historyURL) {
        const history = el('a', null, words.history);
        history.href = historyURL;
        if (historyTarget) {
          history.target = historyTarget;
          history.rel = 'noopener';
        }
        if (href) links.append(' · ');
        links.append(history);
      }
    };
    const details = tl.detailsOf(ev);
    fill(details);
    if (!details && ev >= 0 && regionBase) {
      // A large map's page has no sources: ask for this region's events (a static export,
      // with no regionBase, has no server to ask).
      regionEvents(id).then((events) => fill(matchingEvent(tl, events, ev))).catch((err) => {
        console.warn('frontline: the region\'s sources could not be loaded', err);
      });
    }
    return box;
  }

  /** The region's live events from the data API, asked once per page. */
  function regionEvents(id) {
    let request = regionEventRequests.get(id);
    if (!request) {
      const url = `/api/maps/${encodeURIComponent(slug)}/events?region=${encodeURIComponent(id)}`;
      request = fetch(url, { credentials: 'same-origin' }).then((res) => {
        if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
        return res.json();
      });
      request.catch(() => regionEventRequests.delete(id));
      regionEventRequests.set(id, request);
    }
    return request;
  }

  return { content: popupContent };
}

/** Of a region's events (sorted by date, then recording), the one the timeline's event
 * index ev stands for: the last on its date with its faction and confidence. */
export function matchingEvent(timeline, events, ev) {
  const date = timeline.dateOf(ev);
  const faction = timeline.factionOf(ev);
  const confidence = timeline.isClaimed(ev) ? 'claimed' : 'confirmed';
  let found = null;
  for (const e of Array.isArray(events) ? events : []) {
    if (e.date === date && String(e.faction) === faction && (e.confidence ?? 'confirmed') === confidence) found = e;
  }
  return found;
}
