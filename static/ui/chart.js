// The chart of control over time under the slider. The server draws it (web/chart.go, as
// inline SVG, so it reads without JavaScript); this makes its cursor follow the date shown
// on every step and a click on a day move the map there. The tooltip and the keyboard
// (ui/chart-tip.js) load when a reader first points at the chart or focuses it; the series
// and its model (model/series.js) when first needed: an embed's first view costs neither.

const WIDTH = 1000; // the SVG's user units across, web/chart.go's chartWidth

/**
 * Attach to root (the server's figure#series-chart; null: nothing to draw, the series is
 * still read for the summary). data: the page data (series inline, or seriesURL); days: the
 * slider's positions; isoOf(index) and labelOf(iso) name a day; nameOf(faction) and
 * colorOf(faction); onPick(index) moves the map; onSeries() is told when the series and its
 * model have arrived. Returns {show(index), series(), summaryMore(iso, labels, formatDate)}:
 * series() is null and summaryMore {} until then (asking starts the loading).
 */
export function attachChart(options) {
  const { root, data, days, onPick, onSeries } = options;
  let series = null;
  let model = null; // model/series.js
  let loadingSeries = null;
  function loadSeries() {
    loadingSeries ??= Promise.all([
      data.series ?? fetch(data.seriesURL, { credentials: 'same-origin' })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`GET ${data.seriesURL}: HTTP ${res.status}`)))),
      import('../model/series.js'),
    ]).then(([s, m]) => {
      series = s;
      model = m;
      onSeries?.();
    });
    loadingSeries.catch((err) => console.warn('frontline: the series could not be loaded', err));
    return loadingSeries;
  }
  const seriesOf = () => {
    // A page without a series (the change form's) asks for none.
    if (!series && (data.series || data.seriesURL)) loadSeries();
    return series;
  };
  // The summary's more is the series' point in force, which the days up to the next change
  // share: each point's is worked out once (its maps and the label of the change before).
  const moreByPoint = new Map();
  const summaryMore = (iso, labels, formatDate) => {
    if (!seriesOf() || !model) return {};
    const i = model.pointIndexAt(series, iso);
    let more = moreByPoint.get(i);
    if (!more) {
      more = model.summaryMore(series, iso, labels, formatDate);
      moreByPoint.set(i, more);
    }
    return more;
  };
  const svg = root?.querySelector('.chart-svg');
  const cursor = root?.querySelector('.chart-cursor');
  if (!svg || !cursor) return { show() {}, series: seriesOf, summaryMore };

  let current = 0;
  let tip = null; // ui/chart-tip.js's, once loaded
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('focusable', 'true');
  // Right to left, the plot is mirrored (rtl.css), as the slider runs: its first day on the right.
  let rtl = null;
  const isRTL = () => (rtl ??= getComputedStyle(svg).direction === 'rtl');
  const indexAt = (clientX) => {
    const box = svg.getBoundingClientRect();
    const along = (clientX - box.left) / box.width;
    return Math.min(Math.max(Math.floor((isRTL() ? 1 - along : along) * days), 0), days - 1);
  };

  /** Move the cursor to day index (every step of the slider). */
  let moved = false;
  function show(index) {
    // The first step asks for the series, which the summary wants once the slider rests.
    if (moved) seriesOf();
    moved = true;
    current = index;
    const x = String(Math.round((((index + 0.5) * WIDTH) / days) * 10) / 10);
    cursor.setAttribute('x1', x);
    cursor.setAttribute('x2', x);
    tip?.follow(index);
  }

  svg.addEventListener('click', (e) => onPick(indexAt(e.clientX)));
  let loading = null;
  const load = (e) => {
    loading ??= import('./chart-tip.js').then((m) => {
      tip = m.createChartTip({ ...options, svg, indexAt, rtl: isRTL(), series: seriesOf, current: () => current });
      return tip;
    });
    loading.then((t) => t.start(e), (err) => console.warn('frontline: the chart\'s tooltip could not be loaded', err));
  };
  svg.addEventListener('pointerover', load, { once: true });
  svg.addEventListener('focus', load, { once: true });
  return { show, series: seriesOf, summaryMore };
}
