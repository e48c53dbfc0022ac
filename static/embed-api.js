// The embed's postMessage API, for a host page that drives the map as its reader scrolls
// (docs/embed-api.md). The host sends commands (set-date, set-compare, play, pause); the
// embed answers ready once the map follows dates, date-changed whenever the date shown
// changes, and error for a command it cannot carry out.
//
// Trust: a command counts only when it comes from the window that framed the embed
// (window.parent) *and* from an origin the embed trusts: those the embed's URL names
// (?origin=, checked by the server and written as <body data-host-origins>), else the
// origin of the page that framed it (document.referrer). Replies go to those origins only,
// never to "*". Anything else is ignored without a word, so a stranger's frame learns
// nothing.
//
// The functions above connectEmbedApi have no DOM; they and connectEmbedApi (with a stand-in
// window) are tested with node --test (static/test/embed-api.test.js).

/** Every message's type starts with this. */
export const PREFIX = 'frontline:';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The origins the embed trusts: listed (the server's checked ?origin= values, space
 * separated) when there are any, else the referrer's origin, else none (the API is off).
 */
export function trustedOrigins(listed, referrer) {
  const named = String(listed ?? '').split(/\s+/).filter(Boolean);
  if (named.length > 0) return named;
  try {
    const { origin, protocol } = new URL(referrer);
    return protocol === 'http:' || protocol === 'https:' ? [origin] : [];
  } catch {
    return [];
  }
}

/** Whether a message event comes from parent (the framing window) at a trusted origin. */
export function accepts(event, parent, origins) {
  return event.source === parent && parent !== null && origins.includes(event.origin);
}

/**
 * The command a message's data asks for: {command, date?}, {error} for a message of this
 * API that is malformed, or null for a message that is not this API's (Pym's, the host's
 * own), which is ignored.
 */
export function readCommand(data) {
  if (data === null || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith(PREFIX)) return null;
  const command = data.type.slice(PREFIX.length);
  switch (command) {
    case 'set-date':
      if (typeof data.date !== 'string' || !ISO_DATE.test(data.date)) return { error: `set-date needs a date as YYYY-MM-DD, got ${JSON.stringify(data.date)}` };
      return { command, date: data.date };
    case 'set-compare':
      if (data.date === null) return { command, date: null };
      if (typeof data.date !== 'string' || !ISO_DATE.test(data.date)) return { error: `set-compare needs a date as YYYY-MM-DD or null (no comparison), got ${JSON.stringify(data.date)}` };
      return { command, date: data.date };
    case 'play':
    case 'pause':
      return { command };
    default:
      return { error: `unknown command ${JSON.stringify(data.type)}: use ${PREFIX}set-date, set-compare, play or pause` };
  }
}

/**
 * Listen to the host page: win is the embed's window, frontline its window.frontline (once
 * it exists), map {slug, start, end} from the page data, origins from trustedOrigins.
 * Returns a function that stops listening.
 */
export function connectEmbedApi({ win, doc, frontline, map, origins }) {
  const parent = win.parent === win ? null : win.parent;
  if (!parent || origins.length === 0) return () => {};
  let date = map.date;
  const send = (type, detail) => {
    for (const origin of origins) parent.postMessage({ type: PREFIX + type, map: map.slug, ...detail }, origin);
  };

  function onMessage(event) {
    if (!accepts(event, parent, origins)) return;
    const cmd = readCommand(event.data);
    if (cmd === null) return;
    if (cmd.error) return send('error', { message: cmd.error });
    try {
      run(cmd);
    } catch (err) {
      send('error', { message: String(err?.message ?? err) });
    }
  }

  function run({ command, date: d }) {
    switch (command) {
      case 'set-date':
        frontline.setDate(d);
        return;
      case 'set-compare':
        setCompare(d);
        return;
      default:
        frontline.play(command === 'play');
    }
  }

  // The comparison is drawn by whatever implements it: window.frontline.setCompare when
  // the page has one; else the embed's address says it (?compare=) and the event
  // frontline:comparechange tells the page's scripts.
  function setCompare(d) {
    if (d !== null && !(d >= map.start && d <= map.end)) throw new RangeError(`${d} is outside ${map.start}..${map.end}`);
    if (typeof frontline.setCompare === 'function') {
      frontline.setCompare(d);
      return;
    }
    const url = new URL(win.location.href);
    if (d === null) url.searchParams.delete('compare');
    else url.searchParams.set('compare', d);
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    doc.dispatchEvent(new CustomEvent('frontline:comparechange', { detail: { compare: d } }));
  }

  const onDate = (e) => {
    date = e.detail.date;
    send('date-changed', { date, label: e.detail.label });
  };
  win.addEventListener('message', onMessage);
  doc.addEventListener('frontline:datechange', onDate);
  send('ready', { date, start: map.start, end: map.end });
  return () => {
    win.removeEventListener('message', onMessage);
    doc.removeEventListener('frontline:datechange', onDate);
  };
}

const FRONTLINE_POLL_MS = 50;

/**
 * Start the API in the embed page (static/embed.js calls it in a frame): once map.js has
 * made window.frontline and the map follows dates, with the page data's map and the
 * origins the page trusts.
 */
export async function start(win, doc) {
  const frontline = await new Promise((resolve) => {
    const look = () => (win.frontline ? resolve(win.frontline) : win.setTimeout(look, FRONTLINE_POLL_MS));
    look();
  });
  await frontline.ready;
  const { slug, start: first, end, date } = JSON.parse(doc.getElementById('map-data').textContent);
  return connectEmbedApi({
    win, doc, frontline, map: { slug, start: first, end, date },
    origins: trustedOrigins(doc.body.dataset.hostOrigins, doc.referrer),
  });
}
