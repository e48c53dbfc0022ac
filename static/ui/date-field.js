// The date field beside the slider. The server renders an <input type="date"> (the form of
// the page without JavaScript, and a phone's own date picker; on a light map's page put in
// place by unwrapDates); where no pointer is coarse (a mouse, a trackpad, a keyboard) the
// script makes it a text field that takes YYYY-MM-DD.
// Why: the field follows every step of the slider, and Chromium builds a date field's
// month, day and year parts anew at every value written, 0.3 to 0.5 ms of a 2 ms step on the
// 34-province map, where a text field's value is one text node (docs/benchmarks.md, session
// 9). A keyboard types the date as before; a touch screen keeps the native picker.

import { epochDay } from '../model/dates.js';
import { fillTemplate } from '../model/template.js';

const COARSE = '(any-pointer: coarse)';

/**
 * Make input (the server's date field, or null) a text field unless win has a coarse pointer.
 * Returns whether it did.
 */
export function typeDates(input, win) {
  if (!input || input.type !== 'date' || !typed(win)) return false;
  typeText(input);
  return true;
}

/** Whether win's date fields are typed: no pointer is coarse. */
function typed(win) {
  return !!win?.matchMedia && !win.matchMedia(COARSE).matches;
}

/** Make input a text field that takes YYYY-MM-DD. */
function typeText(input) {
  input.type = 'text';
  input.inputMode = 'numeric';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.size = 10;
  input.maxLength = 10;
  input.placeholder = 'YYYY-MM-DD';
  input.classList.add('date-typed');
  // A reader's correction takes back the message of the last refusal.
  input.addEventListener('input', () => input.setCustomValidity(''));
}

/**
 * Put in place the date fields that doc's server left for scripts (web's dateField, on a
 * light map's page): each <template data-date-field> holds the field as a text field, and
 * the <noscript> before it the date field of readers without scripting. The field is typed
 * as typeDates types it (a phone's keeps its picker) and takes the template's place; the
 * noscript goes. Where it is typed, the page never builds the browser's date field (its
 * locale's format, its parts), which had cost the first frame more than the rest of the form
 * (docs/benchmarks.md, session 13). Idempotent.
 */
export function unwrapDates(doc, win) {
  for (const template of doc.querySelectorAll('template[data-date-field]')) {
    const input = template.content.querySelector('input');
    const noscript = template.previousElementSibling;
    if (noscript?.localName === 'noscript') noscript.remove();
    if (!input) continue;
    if (typed(win)) typeText(input);
    else input.type = 'date';
    template.replaceWith(input);
  }
}

/**
 * What is wrong with value as a date of start..end (YYYY-MM-DD each), in the page's words
 * (words.dateNotReal, words.dateOutside: the server's DateNotReal and DateOutside), or ''
 * for a date of the range. An empty value is '' too: a date half typed, which the field's
 * `required` refuses on submit.
 */
export function dateProblem(value, start, end, words = {}) {
  const v = String(value ?? '').trim();
  if (v === '') return '';
  const day = epochDay(v);
  if (!Number.isFinite(day)) return fillTemplate(words.dateNotReal ?? 'date {date} is not a real date in the form YYYY-MM-DD', { date: v });
  if (day < epochDay(start) || day > epochDay(end)) {
    return fillTemplate(words.dateOutside ?? "date {date} is outside this map's range, {start} to {end}", { date: v, start, end });
  }
  return '';
}
