// The series of control over time (GET /api/maps/{slug}/series, data/series.go), with no
// DOM: which point is in force on a date, the values a tooltip lists, and what the summary
// sentence needs of it (its claimed counts and the change date before).

/** Index of the series' point in force on iso (the last dated on or before it), or -1. */
export function pointIndexAt(series, iso) {
  const points = series?.points ?? [];
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].date <= iso) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The key of a measure in a point: regions, area_km2 or population. */
const MEASURE_KEYS = { regions: 'regions', area: 'area_km2', population: 'population' };

/**
 * What each faction held at point i in measure (regions, area, population):
 * [{id, confirmed, claimed}] in the series' faction order; [] for a measure the series lacks.
 */
export function valuesAt(series, i, measure = 'regions') {
  const splits = series?.points?.[i]?.[MEASURE_KEYS[measure] ?? measure];
  if (!Array.isArray(splits)) return [];
  return series.factions.map((id, f) => ({ id, confirmed: splits[f]?.[0] ?? 0, claimed: splits[f]?.[1] ?? 0 }));
}

/**
 * The summary's more (static/model/summary.js) on iso: claimedOf from the point in force and
 * before, what each faction held at the point before it, labelled by formatDate. {} without
 * a series.
 */
export function summaryMore(series, iso, labels, formatDate) {
  const i = pointIndexAt(series, iso);
  if (i < 0) return {};
  const byId = (values) => new Map(values.map((v) => [v.id, v]));
  const now = byId(valuesAt(series, i));
  const more = { claimedOf: (id) => now.get(id)?.claimed ?? 0, claimsTemplate: labels?.summaryClaims };
  if (i >= 1) {
    const then = byId(valuesAt(series, i - 1));
    more.before = { countOf: (id) => (then.get(id)?.confirmed ?? 0) + (then.get(id)?.claimed ?? 0), label: formatDate(series.points[i - 1].date) };
    more.sinceTemplate = labels?.summarySince;
  }
  return more;
}

/** The index of the change point after (step 1) or before (step -1) iso's, or -1 for none. */
export function neighbourPoint(series, iso, step) {
  const points = series?.points ?? [];
  const i = pointIndexAt(series, iso);
  if (step > 0) return i + 1 < points.length ? i + 1 : -1;
  // Back from a date past the point in force goes to that point first.
  if (i >= 0 && points[i].date < iso) return i;
  return i - 1 >= 0 ? i - 1 : -1;
}
