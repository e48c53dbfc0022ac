// The chart of control's tooltip and keys (static/ui/chart.js loads it when a reader first
// points at the chart or focuses it): hovering or focusing a day shows each faction's
// numbers in the measure chosen; the arrow keys go from change date to change date, Home and
// End to the ends, and move the map.

import { neighbourPoint, pointIndexAt, valuesAt } from '../model/series.js';
import { localDigits } from '../model/dates.js';
import { fillTemplate } from '../model/template.js';
import { el } from './dom.js';

/**
 * The tooltip's words, from the server's figure (data-words, web/chart.go's chartTipWords):
 * {confirmed, claimed, units: {measure: {pluralCategory: template}}, digits}, in the page's
 * language; and amount(measure, n), "21 regions" in that language's plural form and digits.
 */
export function chartWords(root) {
  let words = {};
  try {
    words = JSON.parse(root.dataset.words ?? '{}') ?? {};
  } catch {
    words = {};
  }
  // Chromium lacks some of the page's languages (Pashto): their numbers and plurals are
  // then English's, whose rules Pashto shares, in the language's digits.
  const lang = root.ownerDocument?.documentElement.lang || 'en';
  const known = (Intl.PluralRules.supportedLocalesOf([lang]).length > 0) ? lang : 'en';
  const plurals = new Intl.PluralRules(known);
  const numbers = new Intl.NumberFormat(known, { numberingSystem: 'latn' });
  const fmt = { digits: words.digits ?? '' };
  const count = (n) => localDigits(numbers.format(n), fmt);
  return {
    count,
    amount(measure, n) {
      const forms = words.units?.[measure] ?? {};
      return fillTemplate(forms[plurals.select(n)] ?? forms.other ?? '{count}', { count: count(n) });
    },
    confirmed: words.confirmed ?? '{name}: {amount}',
    claimed: words.claimed ?? '{count}',
  };
}

/**
 * The tooltip of root's chart. svg is its plot, indexAt(clientX) the day under a pointer,
 * series() and current() the series and the day shown; days, isoOf, labelOf, nameOf, colorOf
 * and onPick as ui/chart.js takes them. Returns {start(event), follow(index)}.
 */
export function createChartTip({ root, svg, indexAt, rtl = false, series, current, days, isoOf, labelOf, nameOf, colorOf, onPick }) {
  const tip = root.querySelector('.chart-tip');
  const doc = root.ownerDocument;
  let shown = -1; // the day the tooltip shows, -1 when hidden
  svg.setAttribute('aria-describedby', tip.id);
  const words = chartWords(root);
  const measure = () => root.querySelector('input[name="chart-measure"]:checked')?.value ?? 'regions';

  function show(index) {
    shown = index;
    const iso = isoOf(index);
    const m = measure();
    const s = series();
    tip.replaceChildren(el('strong', null, labelOf(iso)));
    const i = s ? pointIndexAt(s, iso) : -1;
    const list = el('ul');
    for (const v of i >= 0 ? valuesAt(s, i, m) : []) {
      if (v.confirmed + v.claimed === 0) continue;
      const item = el('li');
      const swatch = el('span', 'swatch');
      swatch.style.backgroundColor = colorOf(v.id);
      let text = fillTemplate(words.confirmed, { name: nameOf(v.id), amount: words.amount(m, v.confirmed) });
      if (v.claimed > 0) text += `, ${fillTemplate(words.claimed, { count: words.count(v.claimed) })}`;
      item.append(swatch, text);
      list.append(item);
    }
    tip.append(list);
    tip.hidden = false;
    // Beside the day, inside the plot.
    const width = tip.parentElement.getBoundingClientRect().width;
    const along = ((index + 0.5) / days) * width;
    const x = rtl ? width - along : along; // the plot mirrored right to left
    const left = x + tip.offsetWidth + 12 > width ? x - tip.offsetWidth - 8 : x + 8;
    tip.style.left = `${Math.max(0, left)}px`;
  }

  function hide() {
    shown = -1;
    tip.hidden = true;
  }

  const focused = () => doc.activeElement === svg;
  svg.addEventListener('pointermove', (e) => show(indexAt(e.clientX)));
  svg.addEventListener('pointerleave', () => (focused() ? show(current()) : hide()));
  svg.addEventListener('focus', () => show(current()));
  svg.addEventListener('blur', hide);
  svg.addEventListener('keydown', (e) => {
    let to = null;
    const s = series();
    if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && s) {
      // From change date to change date, as the reporting tells it; later is the arrow
      // pointing along the plot (left when right to left, as the slider).
      const from = isoOf(current());
      const p = neighbourPoint(s, from, (e.key === 'ArrowRight') !== rtl ? 1 : -1);
      if (p >= 0) to = Math.min(Math.max(current() + dayDiff(from, s.points[p].date), 0), days - 1);
    } else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = days - 1;
    else if (e.key === 'Escape') hide();
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    onPick(to);
  });
  root.addEventListener('change', () => {
    if (shown >= 0) show(shown);
  });

  return {
    /** Show the tooltip for the event that loaded this module. */
    start(e) {
      if (e?.type === 'focus' || focused()) show(current());
      else if (e && Number.isFinite(e.clientX)) show(indexAt(e.clientX));
    },
    /** The date shown moved to index: a focused chart's tooltip follows. */
    follow(index) {
      if (shown >= 0 && focused()) show(index);
    },
  };
}

/** Days from iso a to iso b. */
function dayDiff(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
