// Frontline embed page: tells the parent page its height with NPR's Pym.js protocol, which
// newsroom CMSes already speak, so the iframe fits its content at any width; and answers a
// host page that drives the map (embed-api.js).
//
// Pym starts once the map is drawn: measuring the page and talking to the parent cost
// about 20 ms of the first draw (docs/benchmarks.md), and the height it would report
// before then is the one the map is about to change. A map that never draws (its shapes
// failed) still gets Pym after a short wait.
import { connectEmbedApi, trustedOrigins } from './embed-api.js';

const PYM_FALLBACK_MS = 3_000;

let started = false;
function startPym() {
  if (started || !window.pym) return;
  started = true;
  // Polling catches the late growth when the map's shapes and the legend settle.
  new window.pym.Child({ polling: 500 });
}

if (performance.getEntriesByName('frontline:drawn').length > 0) startPym();
else {
  // After the frame that shows the map.
  document.addEventListener('frontline:drawn', () => requestAnimationFrame(() => setTimeout(startPym, 0)), { once: true });
  setTimeout(startPym, PYM_FALLBACK_MS);
}

// The host page's API (embed-api.js, docs/embed-api.md), once the map follows dates.
const FRONTLINE_POLL_MS = 50;
function whenFrontline() {
  return new Promise((resolve) => {
    const look = () => (window.frontline ? resolve(window.frontline) : setTimeout(look, FRONTLINE_POLL_MS));
    look();
  });
}
whenFrontline().then(async (frontline) => {
  await frontline.ready;
  const { slug, start, end, date } = JSON.parse(document.getElementById('map-data').textContent);
  connectEmbedApi({
    win: window, doc: document, frontline, map: { slug, start, end, date },
    origins: trustedOrigins(document.body.dataset.hostOrigins, document.referrer),
  });
});
