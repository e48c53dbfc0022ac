// Dates as whole UTC days, with no DOM: local-time parsing (new Date('2021-08-14T00:00'),
// getDate()) would shift dates for readers west of Greenwich.

import { fillTemplate } from './template.js';

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a strict YYYY-MM-DD string, or NaN. */
export function epochDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  const back = new Date(0);
  const ms = back.setUTCFullYear(y, mo - 1, d);
  // Reject 2021-02-30 and friends instead of silently rolling over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN;
  return ms / DAY_MS;
}

/** YYYY-MM-DD for a day number from epochDay. */
export function isoDate(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Solar Hijri year, month (1-12) and day of a day number, from the browser's Intl
 * (ICU's Persian calendar); memoised, as a slider asks for the same days again and again. */
const solarCache = new Map();
let solarFormat = null;
export function solarDate(day) {
  let ymd = solarCache.get(day);
  if (ymd) return ymd;
  solarFormat ??= new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
  const parts = Object.fromEntries(solarFormat.formatToParts(day * DAY_MS).map((p) => [p.type, p.value]));
  ymd = [Number.parseInt(parts.year, 10), Number(parts.month), Number(parts.day)];
  solarCache.set(day, ymd);
  return ymd;
}

/** s's ASCII digits written in the format's digits (Persian in fa and ps, Eastern Arabic
 * in ar). */
export function localDigits(s, fmt) {
  const ds = [...(fmt?.digits ?? '')];
  if (ds.length !== 10 || ds[0] === '0') return String(s);
  return String(s).replace(/[0-9]/g, (d) => ds[d]);
}

function fill(fmt, d, month, y) {
  return fillTemplate(fmt.pattern, { d: localDigits(d, fmt), month, y: localDigits(String(y).padStart(4, '0'), fmt) });
}

/** The date label for a YYYY-MM-DD string: "14 August 2021", "۱۴ اوت ۲۰۲۱", with the Solar
 * Hijri date beside it ("14 August 2021 (23 Asad 1400)") when the format has solar months.
 * fmt is the page data's labels.dates, how the server (web/i18n/dates.go, from CLDR) writes
 * the page's language: web/map_show.go (formatDateLabel) is this rule's twin, and
 * testdata/rules/dates.json holds both to the same output. The words come from the server
 * rather than Intl.DateTimeFormat: Chromium has no Pashto, ICU and Go's CLDR tables differ
 * on some patterns, and Intl's first call for each date costs a good part of a slider step.
 * Intl is asked only which Solar Hijri day a date is. Throws a RangeError for anything but
 * a real date, as Intl does. */
export function formatDate(iso, fmt) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  const day = epochDay(iso);
  if (!m || !Number.isFinite(day)) throw new RangeError(`not a date: ${iso}`);
  const g = fill(fmt, Number(m[3]), fmt.months[Number(m[2]) - 1], m[1]);
  if (fmt.solarMonths?.length !== 12) return g;
  const [sy, sm, sd] = solarDate(day);
  return fillTemplate(fmt.both, { date: g, solar: fill(fmt, sd, fmt.solarMonths[sm - 1], sy) });
}

/**
 * format (a date's label from its YYYY-MM-DD) with each date's label worked out once: a
 * slider's scrub asks for the same days again and again.
 */
export function onceEach(format) {
  const labels = new Map();
  return (iso) => {
    let label = labels.get(iso);
    if (label === undefined) {
      label = format(iso);
      labels.set(iso, label);
    }
    return label;
  };
}
