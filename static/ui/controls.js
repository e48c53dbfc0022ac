// The date controls: the slider, the play button, the date field and the arrow keys. They
// ask the page to show a day (setIndex) and show the day it shows (show).

import { epochDay, isoDate } from '../model/dates.js';
import { dateProblem, typeDates } from './date-field.js';
import { setAttr, setText } from './dom.js';

const STEP_MS = 350;
const STEP_MS_REDUCED_MOTION = 1_000;

/**
 * Controls over els (form, play, slider, input, submit, label: each optional) for the days
 * 0..lastIndex from data.start. index() is the day shown, setIndex(i, {drag}) shows another
 * (drag: a step of the reader's drag of the slider). Play shows playStep(i) after day i, every
 * STEP_MS / speed() (ui/stepper.js: by day or by change, at a chosen speed).
 * Returns {wire(), show(label), setPlaying(on), handleStepKey(e)}.
 */
export function createControls({ els, doc, win, data, lastIndex, index, setIndex, playStep = (i) => i + 1, speed = () => 1 }) {
  const startDay = epochDay(data.start);
  const endDay = epochDay(data.end);
  let playing = false;
  let playTimer = 0;

  function stepDelay() {
    return (win.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? STEP_MS_REDUCED_MOTION : STEP_MS) / speed();
  }

  function setPlaying(on) {
    if (on === playing) return;
    playing = on;
    win.clearTimeout(playTimer);
    playTimer = 0;
    if (els.play) {
      els.play.textContent = on ? (data.labels?.words?.pause ?? 'Pause') : (data.labels?.words?.play ?? 'Play');
      els.play.setAttribute('aria-pressed', String(on));
      els.play.classList.toggle('is-playing', on);
    }
    // An <output> is a live region; announcing every frame of playback is noise.
    if (els.label) {
      if (on) els.label.setAttribute('aria-live', 'off');
      else els.label.removeAttribute('aria-live');
    }
    if (on) playTimer = win.setTimeout(tick, stepDelay());
  }

  function tick() {
    if (!playing) return;
    setIndex(playStep(index()));
    if (index() >= lastIndex) setPlaying(false);
    else playTimer = win.setTimeout(tick, stepDelay());
  }

  function togglePlay() {
    if (playing) {
      setPlaying(false);
      return;
    }
    if (index() >= lastIndex) setIndex(0);
    setPlaying(true);
  }

  /** Arrow keys step a day; returns true when the key was used. */
  function handleStepKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
    if (e.key === 'Escape' && playing) {
      setPlaying(false);
      return false;
    }
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return false;
    if (isTextEntry(e.target)) return false;
    e.preventDefault();
    setPlaying(false);
    // Time runs the way the page reads: right to left in Arabic, Persian and Pashto, where
    // the slider (an <input type="range">) is mirrored too, so the left arrow goes forward.
    const forward = doc.documentElement.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    setIndex(index() + (e.key === forward ? 1 : -1));
    return true;
  }

  /** The slider, label and date field follow the day shown (the field not while typed in). */
  function show(label) {
    const iso = isoDate(startDay + index());
    if (els.input && doc.activeElement !== els.input && els.input.value !== iso) els.input.value = iso;
    if (els.slider) {
      const value = String(index());
      if (els.slider.value !== value) els.slider.value = value;
      setAttr(els.slider, 'aria-valuetext', label);
    }
    setText(els.label, label);
  }

  function wire() {
    if (els.slider) {
      els.slider.min = '0';
      els.slider.max = String(lastIndex);
      els.slider.step = '1';
      els.slider.hidden = false;
      // Any input event comes from the reader (setting .value fires none): a drag while a
      // pointer is down, else a key's step.
      let pointerDown = false;
      els.slider.addEventListener('input', () => {
        setPlaying(false);
        setIndex(Number(els.slider.value), { drag: pointerDown });
      });
      els.slider.addEventListener('pointerdown', () => {
        pointerDown = true;
        setPlaying(false);
      });
      // Released anywhere: a drag may end off the slider.
      for (const type of ['pointerup', 'pointercancel']) win.addEventListener(type, () => (pointerDown = false));
    }
    if (els.play) {
      els.play.hidden = false;
      els.play.addEventListener('click', togglePlay);
    }
    if (els.submit) els.submit.hidden = true;
    // A refused date says what is wrong in the page's words (a typed field has no browser
    // check of its own) and moves nothing.
    const jumpToInput = () => {
      const value = els.input.value.trim();
      els.input.setCustomValidity(dateProblem(value, data.start, data.end, data.labels?.words));
      const day = epochDay(value);
      if (!Number.isFinite(day) || day < startDay || day > endDay) return false;
      setPlaying(false);
      setIndex(day - startDay);
      return true;
    };
    if (els.input) {
      typeDates(els.input, win);
      els.input.min = data.start;
      els.input.max = data.end;
      els.input.addEventListener('change', () => {
        // An empty value is a half-typed date; anything else out of range gets the browser's message.
        if (!jumpToInput() && els.input.value !== '') els.input.reportValidity();
      });
    }
    if (els.form) {
      els.form.addEventListener('submit', (e) => {
        e.preventDefault();
        if (els.input && !jumpToInput()) els.input.reportValidity();
      });
    }
    doc.addEventListener('keydown', handleStepKey);
  }

  return { wire, show, setPlaying, handleStepKey };
}

function isTextEntry(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return !!target.closest('input, select, textarea');
}
