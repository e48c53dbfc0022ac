// The chart of control over time under the slider. The server draws it (web/chart.go, as
// inline SVG, so it reads without JavaScript); this adds what needs a script: the cursor
// follows the date shown on every step, hovering or focusing shows the numbers of a day,
// clicking a day (or Enter, or the arrow keys from change to change) moves the map there.

import { neighbourPoint, pointIndexAt, valuesAt } from '../model/series.js';
import { el } from './dom.js';

const WIDTH = 1000; // the SVG's user units across, web/chart.go's chartWidth
const UNITS = { regions: 'regions', area: 'km²', population: 'people' };
const numbers = new Intl.NumberFormat('en');

/**
 * Attach to root (the server's figure#series-chart; null: nothing to draw, the series is
 * still read for the summary). data: the page data (series inline, or seriesURL); days: the
 * slider's positions; isoOf(index) and labelOf(iso) name a day; nameOf(faction) and
 * colorOf(faction); onPick(index) moves the map. Returns {show(index), series()}: series() is
 * null until a fetched series has arrived.
 */
export function attachChart({ root, data, days, isoOf, labelOf, nameOf, colorOf, onPick, onSeries }) {
  let series = data.series ?? null;
  if (!series && data.seriesURL) {
    fetch(data.seriesURL, { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`GET ${data.seriesURL}: HTTP ${res.status}`))))
      .then((s) => {
        series = s;
        onSeries?.();
      })
      .catch((err) => console.warn('frontline: the series could not be loaded', err));
  }
  const svg = root?.querySelector('.chart-svg');
  const cursor = root?.querySelector('.chart-cursor');
  const tip = root?.querySelector('.chart-tip');
  if (!svg || !cursor || !tip) return { show() {}, series: () => series };

  let current = 0;
  let tipIndex = -1; // the day the tooltip shows, -1 when hidden
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('focusable', 'true');
  svg.setAttribute('aria-describedby', tip.id);

  const clamp = (i) => Math.min(Math.max(i, 0), days - 1);
  const indexAt = (clientX) => {
    const box = svg.getBoundingClientRect();
    return clamp(Math.floor(((clientX - box.left) / box.width) * days));
  };
  const measure = () => root.querySelector('input[name="chart-measure"]:checked')?.value ?? 'regions';

  /** Move the cursor to day index (every step of the slider). */
  function show(index) {
    current = index;
    const x = String(Math.round((((index + 0.5) * WIDTH) / days) * 10) / 10);
    cursor.setAttribute('x1', x);
    cursor.setAttribute('x2', x);
    if (tipIndex >= 0 && root.ownerDocument.activeElement === svg) showTip(index);
  }

  function showTip(index) {
    tipIndex = index;
    const iso = isoOf(index);
    const m = measure();
    tip.replaceChildren(el('strong', null, labelOf(iso)));
    const i = series ? pointIndexAt(series, iso) : -1;
    const list = el('ul');
    for (const v of i >= 0 ? valuesAt(series, i, m) : []) {
      if (v.confirmed + v.claimed === 0) continue;
      const item = el('li');
      const swatch = el('span', 'swatch');
      swatch.style.backgroundColor = colorOf(v.id);
      let text = `${nameOf(v.id)}: ${numbers.format(v.confirmed)} ${UNITS[m] ?? ''} confirmed`;
      if (v.claimed > 0) text += `, ${numbers.format(v.claimed)} claimed`;
      item.append(swatch, text);
      list.append(item);
    }
    tip.append(list);
    tip.hidden = false;
    // Beside the day, inside the plot.
    const plot = tip.parentElement.getBoundingClientRect();
    const x = ((index + 0.5) / days) * plot.width;
    const left = x + tip.offsetWidth + 12 > plot.width ? x - tip.offsetWidth - 8 : x + 8;
    tip.style.left = `${Math.max(0, left)}px`;
  }

  function hideTip() {
    tipIndex = -1;
    tip.hidden = true;
  }

  svg.addEventListener('pointermove', (e) => showTip(indexAt(e.clientX)));
  svg.addEventListener('pointerleave', () => (root.ownerDocument.activeElement === svg ? showTip(current) : hideTip()));
  svg.addEventListener('click', (e) => onPick(indexAt(e.clientX)));
  svg.addEventListener('focus', () => showTip(current));
  svg.addEventListener('blur', hideTip);
  svg.addEventListener('keydown', (e) => {
    let to = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      // From change date to change date, as the reporting tells it.
      const p = series ? neighbourPoint(series, isoOf(current), e.key === 'ArrowRight' ? 1 : -1) : -1;
      if (p >= 0) to = clamp(current + dayDiff(isoOf(current), series.points[p].date));
    } else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = days - 1;
    else if (e.key === 'Escape') hideTip();
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    onPick(to);
  });
  root.addEventListener('change', () => {
    if (tipIndex >= 0) showTip(tipIndex);
  });

  return { show, series: () => series };
}

/** Days from iso a to iso b. */
function dayDiff(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
