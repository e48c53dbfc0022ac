// The embed's postMessage API (embed-api.js): whom it trusts, what it reads, what it does.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { accepts, connectEmbedApi, readCommand, trustedOrigins } from '../embed-api.js';

describe('trustedOrigins', () => {
  const cases = [
    ['the listed origins win over the referrer', 'https://news.example https://preview.news.example', 'https://other.example/a', ['https://news.example', 'https://preview.news.example']],
    ['none listed: the framing page\'s origin', '', 'https://news.example/2021/kabul?x=1', ['https://news.example']],
    ['none listed, no referrer: nobody', undefined, '', []],
    ['a referrer that is not a web page: nobody', '', 'file:///tmp/a.html', []],
    ['a referrer that is not a URL: nobody', '', 'nonsense', []],
  ];
  for (const [name, listed, referrer, want] of cases) test(name, () => assert.deepEqual(trustedOrigins(listed, referrer), want));
});

describe('accepts', () => {
  const parent = { name: 'parent' };
  const origins = ['https://news.example'];
  const cases = [
    ['the parent at a trusted origin', { source: parent, origin: 'https://news.example' }, true],
    ['the parent at another origin', { source: parent, origin: 'https://evil.example' }, false],
    ['another window at a trusted origin', { source: { name: 'sibling' }, origin: 'https://news.example' }, false],
    ['a look-alike origin', { source: parent, origin: 'https://news.example.evil.example' }, false],
  ];
  for (const [name, event, want] of cases) test(name, () => assert.equal(accepts(event, parent, origins), want));
  test('no parent (not framed): nothing', () => assert.equal(accepts({ source: null, origin: 'https://news.example' }, null, origins), false));
});

describe('readCommand', () => {
  const cases = [
    ['set-date', { type: 'frontline:set-date', date: '2021-08-10' }, { command: 'set-date', date: '2021-08-10' }],
    ['set-compare', { type: 'frontline:set-compare', date: '2021-08-01' }, { command: 'set-compare', date: '2021-08-01' }],
    ['set-compare off', { type: 'frontline:set-compare', date: null }, { command: 'set-compare', date: null }],
    ['play', { type: 'frontline:play' }, { command: 'play' }],
    ['pause', { type: 'frontline:pause' }, { command: 'pause' }],
    ['another API\'s message', { type: 'pym:height' }, null],
    ['a string', 'frontline:play', null],
    ['null', null, null],
  ];
  for (const [name, data, want] of cases) test(name, () => assert.deepEqual(readCommand(data), want));
  const errors = [
    ['a date not YYYY-MM-DD', { type: 'frontline:set-date', date: '10/08/2021' }, /YYYY-MM-DD/],
    ['no date', { type: 'frontline:set-date' }, /YYYY-MM-DD/],
    ['an unknown command', { type: 'frontline:zoom' }, /set-date, set-compare, play or pause/],
  ];
  for (const [name, data, want] of errors) test(name, () => assert.match(readCommand(data).error, want));
});

describe('connectEmbedApi', () => {
  function setup(origins = ['https://news.example']) {
    const posted = [];
    const listeners = {};
    const parent = { postMessage: (msg, origin) => posted.push([msg, origin]) };
    const win = {
      parent,
      location: { href: 'https://maps.example/embed/afg?date=2021-08-06' },
      history: { state: null, replaceState: (s, t, url) => (win.location.href = 'https://maps.example' + url) },
      addEventListener: (type, f) => (listeners[type] = f),
      removeEventListener: () => {},
    };
    const docEvents = [];
    const doc = {
      addEventListener: (type, f) => (listeners[type] = f),
      removeEventListener: () => {},
      dispatchEvent: (e) => docEvents.push(e),
    };
    const calls = [];
    const frontline = {
      setDate: (d) => {
        if (d > '2021-09-15') throw new RangeError(`${d} is outside 2021-08-01..2021-09-15`);
        calls.push(['setDate', d]);
      },
      play: (on) => calls.push(['play', on]),
    };
    const map = { slug: 'afg', start: '2021-08-01', end: '2021-09-15', date: '2021-08-06' };
    connectEmbedApi({ win, doc, frontline, map, origins });
    const send = (data, origin = 'https://news.example', source = parent) => listeners.message({ data, origin, source });
    return { posted, calls, send, listeners, win, docEvents };
  }

  test('says it is ready, to the trusted origin only', () => {
    const { posted } = setup();
    assert.deepEqual(posted, [[{ type: 'frontline:ready', map: 'afg', date: '2021-08-06', start: '2021-08-01', end: '2021-09-15' }, 'https://news.example']]);
  });
  test('follows commands from the parent and reports the date', () => {
    const { posted, calls, send, listeners } = setup();
    send({ type: 'frontline:set-date', date: '2021-08-10' });
    send({ type: 'frontline:play' });
    send({ type: 'frontline:pause' });
    listeners['frontline:datechange']({ detail: { date: '2021-08-10', label: '10 August 2021' } });
    assert.deepEqual(calls, [['setDate', '2021-08-10'], ['play', true], ['play', false]]);
    assert.deepEqual(posted.at(-1), [{ type: 'frontline:date-changed', map: 'afg', date: '2021-08-10', label: '10 August 2021' }, 'https://news.example']);
  });
  test('ignores another origin and another window, without a reply', () => {
    const { posted, calls, send } = setup();
    send({ type: 'frontline:set-date', date: '2021-08-10' }, 'https://evil.example');
    send({ type: 'frontline:set-date', date: '2021-08-10' }, 'https://news.example', { postMessage() {} });
    assert.deepEqual(calls, []);
    assert.equal(posted.length, 1); // ready only
  });
  test('answers a bad command with an error', () => {
    const { posted, send } = setup();
    send({ type: 'frontline:set-date', date: '2021-12-01' });
    assert.equal(posted.at(-1)[0].type, 'frontline:error');
    assert.match(posted.at(-1)[0].message, /outside/);
  });
  test('set-compare without a hook: the address and an event say it', () => {
    const { send, win, docEvents, posted } = setup();
    send({ type: 'frontline:set-compare', date: '2021-08-01' });
    assert.equal(win.location.href, 'https://maps.example/embed/afg?date=2021-08-06&compare=2021-08-01');
    assert.deepEqual(docEvents.map((e) => [e.type, e.detail]), [['frontline:comparechange', { compare: '2021-08-01' }]]);
    send({ type: 'frontline:set-compare', date: null });
    assert.equal(win.location.href, 'https://maps.example/embed/afg?date=2021-08-06');
    send({ type: 'frontline:set-compare', date: '2020-01-01' });
    assert.match(posted.at(-1)[0].message, /outside/);
  });
  test('trusts nobody: does nothing at all', () => {
    const { posted, listeners } = setup([]);
    assert.deepEqual(posted, []);
    assert.equal(listeners.message, undefined);
  });
});
