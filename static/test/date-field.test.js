// The date field (static/ui/date-field.js): what a typed date may be, when the server's date
// field becomes a text field, and a light map's field put in place from its template.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { dateProblem, typeDates, unwrapDates } from '../ui/date-field.js';

const words = {
  dateNotReal: 'la date {date} n\'est pas une vraie date au format YYYY-MM-DD',
  dateOutside: 'la date {date} est hors de la période de cette carte, du {start} au {end}',
};

describe('dateProblem', () => {
  const cases = [
    { name: 'a date of the range', value: '2021-08-14', want: '' },
    { name: 'the first day', value: '2021-08-01', want: '' },
    { name: 'the last day', value: '2021-09-15', want: '' },
    { name: 'spaces around it', value: ' 2021-08-14 ', want: '' },
    { name: 'half typed, for required to refuse', value: '', want: '' },
    { name: 'no such day', value: '2021-02-30', want: 'la date 2021-02-30 n\'est pas une vraie date au format YYYY-MM-DD' },
    { name: 'another order', value: '14/08/2021', want: 'la date 14/08/2021 n\'est pas une vraie date au format YYYY-MM-DD' },
    { name: 'before the range', value: '2021-07-31', want: 'la date 2021-07-31 est hors de la période de cette carte, du 2021-08-01 au 2021-09-15' },
    { name: 'after the range', value: '2021-09-16', want: 'la date 2021-09-16 est hors de la période de cette carte, du 2021-08-01 au 2021-09-15' },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(dateProblem(c.value, '2021-08-01', '2021-09-15', words), c.want));
  }
  test('English without the page\'s words', () => {
    assert.equal(dateProblem('2021-13-01', '2021-08-01', '2021-09-15'), 'date 2021-13-01 is not a real date in the form YYYY-MM-DD');
  });
});

describe('typeDates', () => {
  const field = () => ({
    type: 'date', classList: { add(c) { this.added = c; } }, listeners: {},
    addEventListener(type, f) { this.listeners[type] = f; }, setCustomValidity(m) { this.validity = m; },
  });
  const win = (coarse) => ({ matchMedia: (q) => ({ matches: q === '(any-pointer: coarse)' && coarse }) });

  test('a text field for YYYY-MM-DD where no pointer is coarse', () => {
    const input = field();
    assert.equal(typeDates(input, win(false)), true);
    assert.equal(input.type, 'text');
    assert.equal(input.inputMode, 'numeric');
    assert.equal(input.placeholder, 'YYYY-MM-DD');
    input.validity = 'refused';
    input.listeners.input();
    assert.equal(input.validity, '', 'typing again takes the refusal back');
  });
  test('the native date picker on a touch screen', () => {
    const input = field();
    assert.equal(typeDates(input, win(true)), false);
    assert.equal(input.type, 'date');
  });
  test('no field, nothing to do', () => assert.equal(typeDates(null, win(false)), false));
});

describe('unwrapDates', () => {
  // A light map's date field as the server leaves it (web's dateField): the no-script date
  // field's <noscript>, then the <template> holding the field as a text field.
  const page = () => {
    const removed = [];
    const node = (props) => ({ ...props, remove() { removed.push(this.name); } });
    const input = {
      type: 'text', id: 'date-input', classList: { add(c) { this.added = c; } },
      addEventListener() {}, setCustomValidity() {},
    };
    const noscript = node({ name: 'noscript', localName: 'noscript' });
    const template = node({
      name: 'template', previousElementSibling: noscript,
      content: { querySelector: (sel) => (sel === 'input' ? input : null) },
      replaceWith(el) { this.placed = el; removed.push('template'); },
    });
    const doc = {
      querySelectorAll: (sel) => (sel === 'template[data-date-field]' && !removed.includes('template') ? [template] : []),
    };
    return { doc, input, template, removed };
  };
  const win = (coarse) => ({ matchMedia: (q) => ({ matches: q === '(any-pointer: coarse)' && coarse }) });

  test('a text field for YYYY-MM-DD in the template\'s place, the noscript gone', () => {
    const { doc, input, template, removed } = page();
    unwrapDates(doc, win(false));
    assert.equal(template.placed, input);
    assert.equal(input.type, 'text');
    assert.equal(input.placeholder, 'YYYY-MM-DD');
    assert.equal(input.classList.added, 'date-typed');
    assert.deepEqual(removed, ['noscript', 'template']);
  });
  test('the native date picker on a touch screen', () => {
    const { doc, input, template } = page();
    unwrapDates(doc, win(true));
    assert.equal(template.placed, input);
    assert.equal(input.type, 'date');
    assert.equal(input.classList.added, undefined);
  });
  test('once only', () => {
    const { doc, input, removed } = page();
    unwrapDates(doc, win(false));
    input.type = 'text';
    unwrapDates(doc, win(false));
    assert.deepEqual(removed, ['noscript', 'template']);
  });
});
