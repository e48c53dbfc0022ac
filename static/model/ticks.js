// The slider's ticks, with no DOM: one at every day on which something changed, weighted by
// how much did, and the steps from change to change that the previous/next buttons, their
// keys and play by change take.

/** The shortest tick, as a share of the tallest: a day with one event among days with
 * hundreds must still show. */
export const MIN_WEIGHT = 0.3;

/**
 * The ticks for counts (events per day index, as timeline.dayCounts() gives them):
 * [{index, count, weight}] in order of day, weight in MIN_WEIGHT..1 growing with the square
 * root of count, so that one busy day does not flatten every other into the minimum.
 */
export function changeTicks(counts) {
  let max = 0;
  for (const n of counts) if (n > max) max = n;
  const ticks = [];
  if (max === 0) return ticks;
  const top = Math.sqrt(max);
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    if (count > 0) ticks.push({ index: i, count, weight: MIN_WEIGHT + (1 - MIN_WEIGHT) * (Math.sqrt(count) / top) });
  }
  return ticks;
}

/** The index of the first tick after index, or -1 when none is. */
export function nextChange(ticks, index) {
  const at = firstAbove(ticks, index);
  return at < ticks.length ? ticks[at].index : -1;
}

/** The index of the last tick before index, or -1 when none is. */
export function previousChange(ticks, index) {
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ticks[mid].index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? ticks[lo - 1].index : -1;
}

/**
 * The day play shows after index: the next day, or by change the next change date (the last
 * day once no change is left, so that play ends where a day-by-day play ends).
 */
export function playStep(ticks, index, lastIndex, byChange) {
  if (!byChange) return Math.min(index + 1, lastIndex);
  const next = nextChange(ticks, index);
  return next < 0 ? lastIndex : next;
}

function firstAbove(ticks, index) {
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ticks[mid].index <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
