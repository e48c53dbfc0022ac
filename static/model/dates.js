// Dates as whole UTC days, with no DOM: local-time parsing (new Date('2021-08-14T00:00'),
// getDate()) would shift dates for readers west of Greenwich.

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

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "14 August 2021" for a YYYY-MM-DD string: the date label rule, in English, and the one
 * place to localise it in the browser. web/map_show.go (formatDateLabel) is its twin on the
 * server; testdata/rules/dates.json holds both to the same output. Written out rather than
 * with Intl.DateTimeFormat, whose first call for each date costs a good part of a slider step.
 * Throws a RangeError for anything but a real date, as Intl does. */
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  if (!m || !Number.isFinite(epochDay(iso))) throw new RangeError(`not a date: ${iso}`);
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
