// Frontline embed page: tells the parent page its height with NPR's Pym.js protocol, which
// newsroom CMSes already speak, so the iframe fits its content at any width; and answers a
// host page that drives the map (embed-api.js).
//
// Pym starts once the map is drawn: measuring the page and talking to the parent cost
// about 20 ms of the first draw (docs/benchmarks.md), and the height it would report
// before then is the one the map is about to change. A map that never draws (its shapes
// failed) still gets Pym after a short wait.
const PYM_FALLBACK_MS = 3_000;

// Pym.js is fetched only in a frame: an embed opened on its own (a shared link, the
// static export) has no parent page to tell its height, and saves its 3 kB.
const framed = window.parent !== window;
let started = false;
function startPym() {
  if (started || !framed) return;
  started = true;
  const src = document.querySelector('meta[name="frontline-pym"]')?.content;
  if (window.pym) childPym();
  else if (src) {
    const script = document.createElement('script');
    script.src = src;
    script.onload = childPym;
    document.head.append(script);
  }
}

// Polling catches the late growth when the map's shapes and the legend settle.
function childPym() {
  if (window.pym) new window.pym.Child({ polling: 500 });
}

if (performance.getEntriesByName('frontline:drawn').length > 0) startPym();
else {
  // After the frame that shows the map.
  document.addEventListener('frontline:drawn', () => requestAnimationFrame(() => setTimeout(startPym, 0)), { once: true });
  setTimeout(startPym, PYM_FALLBACK_MS);
}

// The host page's API (embed-api.js, docs/embed-api.md): loaded only in a frame, where there
// is a host page to talk to.
if (framed) {
  import('./embed-api.js').then((api) => api.start(window, document)).catch((err) => console.warn('frontline: the embed API could not start', err));
}
