// The map page's data read and its first requests made: what static/map.js starts from.

import { epochDay } from '../model/dates.js';
import { createTimeline } from '../model/timeline.js';
import { RENDERERS } from './layer.js';
import { parseHatch } from './paint.js';
import { fetchBytes, mapData, pageShapes } from './start.js';
import { showMapMessage } from './view.js';

/**
 * Read the page's map data (#map-data, dataNode) and ask at once for what the map waits for
 * longest: the region shapes where Leaflet runs from the start (win.L), a large map's compact
 * timeline. Returns {data, hatch, timeline (null until a large map's arrives), shapes,
 * timelineBytes} (promises, or null when not asked for), or null for data that cannot be
 * read, having said so in the map box.
 */
export function readPage(dataNode, mapEl, win) {
  let data;
  try {
    data = mapData(dataNode);
    let [timeline, shapes, timelineBytes] = [null, null, null];
    // The shapes are what Leaflet's first draw waits for longest: ask for them before
    // anything else (the page's <link rel="preload"> has usually fetched them already).
    if (mapEl && win.L && data.geojson) {
      shapes = pageShapes(data);
      shapes.catch(() => {}); // handled where it is awaited; this only keeps a bad start quiet
    }
    if (typeof data.timeline === 'string' && data.timeline) {
      timelineBytes = fetchBytes(data.timeline);
      timelineBytes.catch(() => {});
    } else {
      timeline = createTimeline(data);
    }
    if (!(epochDay(data.end) >= epochDay(data.start))) throw new Error(`invalid date range ${data.start}..${data.end}`);
    if (!RENDERERS.includes(data.renderer)) throw new RangeError(`renderer: want one of ${RENDERERS.join(', ')}, got ${data.renderer}`);
    return { data, hatch: parseHatch(data.hatch), timeline, shapes, timelineBytes };
  } catch (err) {
    console.warn('frontline: unreadable map data', err);
    if (mapEl) showMapMessage(mapEl, data?.labels?.words?.unreadable ?? '', 'alert');
    return null;
  }
}
