import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors, testContext } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('formatdate, timeadd and timestamp follow the cty examples', () => {
  const cases: Case[] = [
    ['formatdate', ['DD MMM YYYY hh:mm ZZZ', '2018-01-02T23:12:01Z'], '02 Jan 2018 23:12 UTC'],
    ['formatdate', ['EEEE, DD-MMM-YY hh:mm:ss ZZZ', '2018-01-02T23:12:01Z'], 'Tuesday, 02-Jan-18 23:12:01 UTC'],
    ['formatdate', ['EEE, DD MMM YYYY hh:mm:ss ZZZ', '2018-01-02T23:12:01-08:00'], 'Tue, 02 Jan 2018 23:12:01 -0800'],
    ['formatdate', ['MMM DD, YYYY', '2018-01-02T23:12:01Z'], 'Jan 02, 2018'],
    ['formatdate', ['HH:mmaa', '2018-01-02T23:12:01Z'], '11:12pm'],
    ['formatdate', ['H:mAA', '2018-01-02T00:05:01Z'], '12:5AM'],
    ['formatdate', ['MMMM M D', '2018-09-07T00:00:00Z'], 'September 9 7'],
    ['formatdate', ["h 'o''clock'", '2018-01-02T23:12:01Z'], "23 o'clock"],
    ['formatdate', ["''", '2018-01-02T23:12:01Z'], "'"],
    ['formatdate', ['Z ZZZZ ZZZZZ', '2018-01-02T23:12:01+05:30'], '+05:30 +0530 +05:30'],
    ['formatdate', ['Z', '2018-01-02T23:12:01Z'], 'Z'],
    ['formatdate', ['YYYY-MM-DD', '0099-01-02T00:00:00Z'], '0099-01-02'],
    ['timeadd', ['2017-11-22T00:00:00Z', '10m'], '2017-11-22T00:10:00Z'],
    ['timeadd', ['2017-11-22T00:00:00Z', '1h30m'], '2017-11-22T01:30:00Z'],
    ['timeadd', ['2017-11-22T00:00:00+05:00', '-1.5h'], '2017-11-21T22:30:00+05:00'],
    ['timeadd', ['2017-11-22T00:00:00.9Z', '100ms'], '2017-11-22T00:00:01Z'],
    ['timeadd', ['2020-02-28T12:00:00Z', '24h'], '2020-02-29T12:00:00Z'],
    ['timeadd', ['2017-11-22T00:00:00Z', '0'], '2017-11-22T00:00:00Z'],
    ['timestamp', [], '2026-11-26T13:31:15Z'],
  ];
  checkCases(cases);
  assert.equal(call('timestamp', [], { ...testContext, now: () => new Date(0) }), '1970-01-01T00:00:00Z');
});

test('time functions reject malformed input with the argument index', () => {
  const errors: ErrorCase[] = [
    ['formatdate', ['YYY', '2018-01-02T23:12:01Z'], 0, 'year must either be "YY" or "YYYY"'],
    ['formatdate', ['x', '2018-01-02T23:12:01Z'], 0, 'invalid date format verb "x"'],
    ['formatdate', ["'abc", '2018-01-02T23:12:01Z'], 0, "unterminated literal '"],
    ['formatdate', ['YYYY', '2018-01-02'], 1, "missing required time introducer 'T'"],
    ['formatdate', ['YYYY', '2018-13-02T00:00:00Z'], 1, 'month out of range'],
    ['formatdate', ['YYYY', '2018-02-30T00:00:00Z'], 1, 'day of month out of range'],
    ['timeadd', ['2017-11-22', '1h'], 0, 'not a valid RFC 3339 timestamp'],
    ['timeadd', ['2017-11-22T00:00:00Z', '1d'], 1, 'not a valid duration'],
    ['timeadd', ['2017-11-22T00:00:00Z', '10'], 1, 'not a valid duration'],
    ['timeadd', ['2017-11-22T00:00:00Z', ''], 1, 'not a valid duration'],
  ];
  checkErrors(errors);
});

test('timeadd of d then -d returns to the start (whole seconds)', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -1e6, max: 1e6 }), (d, secs) => {
      const ts = d.toISOString().replace(/\.\d+Z$/, 'Z');
      const there = call('timeadd', [ts, `${secs}s`]) as string;
      assert.equal(call('timeadd', [there, `${-secs}s`]), ts);
      assert.equal(call('formatdate', ["YYYY-MM-DD'T'hh:mm:ssZ", ts]), ts);
    }),
  );
});
