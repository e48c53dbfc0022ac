// From change to change: the slider's ticks (ui/ticks.js), the "previous change" and "next
// change" buttons and their keys (Shift+Left/Right anywhere but in a text field or on the
// map, which they pan; Page Up/Down on the date controls and the map), and how play steps: by day or by change (#play-by-change), at a speed (#play-speed).
// The steps themselves are model/ticks.js's rule.

import { changeTicks, nextChange, playStep, previousChange } from '../model/ticks.js';
import { drawTicks } from './ticks.js';

export const SPEEDS = [0.5, 1, 2, 4];

/**
 * The stepper over the slider and the page's #previous-change, #next-change, #play-by-change
 * and #play-speed (byId finds them; each optional) for the days 0..lastIndex, whose events
 * per day are counts. go(i) shows day i (play stopped).
 * Returns {show(index), playStep(index), speed(), handleKey(e)}.
 */
export function createStepper({ byId, slider, doc, counts, lastIndex, index, go }) {
  const els = {
    slider, previous: byId('previous-change'), next: byId('next-change'), byChange: byId('play-by-change'), speed: byId('play-speed'),
  };
  const ticks = changeTicks(counts);
  drawTicks(els.slider, ticks, lastIndex);
  for (const el of [els.previous, els.next, els.byChange, els.speed]) {
    // The fields are inside a label shown with them.
    const shown = el?.closest('label') ?? el;
    if (shown) shown.hidden = false;
  }
  const toPrevious = () => step(previousChange(ticks, index()));
  const toNext = () => step(nextChange(ticks, index()));
  els.previous?.addEventListener('click', toPrevious);
  els.next?.addEventListener('click', toNext);
  doc.addEventListener('keydown', handleKey);

  function step(i) {
    if (i >= 0) go(i);
  }

  /** Shift+Left/Right and Page Up/Down go from change to change; returns true when used. */
  function handleKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return false;
    const back = e.key === 'PageUp' || (e.shiftKey && e.key === 'ArrowLeft');
    const forward = e.key === 'PageDown' || (e.shiftKey && e.key === 'ArrowRight');
    if (!back && !forward) return false;
    // The slider's own Page Up/Down would jump a tenth of the range; text fields keep theirs.
    if (e.target !== els.slider && isTextEntry(e.target)) return false;
    // Elsewhere Page Up/Down scroll the page, which is what a reader there is after; on the
    // map Shift+Left/Right pan it (map/view.js).
    const onMap = e.target instanceof Element && !!e.target.closest('#map');
    if (e.shiftKey ? onMap : !(onMap || inControls(e.target))) return false;
    e.preventDefault();
    if (back) toPrevious();
    else toNext();
    return true;
  }

  /** The buttons say whether there is a change to go to from index. */
  function show(i) {
    setDisabled(els.previous, previousChange(ticks, i) < 0);
    setDisabled(els.next, nextChange(ticks, i) < 0);
  }

  function speed() {
    const v = Number(els.speed?.value);
    return SPEEDS.includes(v) ? v : 1;
  }

  return {
    show,
    playStep: (i) => playStep(ticks, i, lastIndex, !!els.byChange?.checked),
    speed,
    handleKey,
  };
}

// aria-disabled, not disabled: a focused button that runs out of changes keeps the focus.
function setDisabled(el, on) {
  const value = String(on);
  if (el && el.getAttribute('aria-disabled') !== value) el.setAttribute('aria-disabled', value);
}

function isTextEntry(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return !!target.closest('input, select, textarea');
}

function inControls(target) {
  return target instanceof Element && !!target.closest('.date-controls');
}
