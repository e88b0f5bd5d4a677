import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoBool } from '../../structs/strconv.js';
import { coerceNumber, parseGoFloat, parseGoInt } from './coerce.js';

test('parseGoBool accepts exactly what strconv.ParseBool accepts', () => {
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true, t);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false, f);
  for (const bad of ['yes', 'tRUE', '', ' true']) assert.equal(parseGoBool(bad), undefined, bad);
});

test('parseGoInt follows strconv.ParseInt with base 0', () => {
  const cases: readonly (readonly [string, number | undefined])[] = [
    ['10', 10], ['-10', -10], ['+7', 7], ['0', 0], ['0x1F', 31], ['0X1f', 31], ['0o17', 15], ['017', 15], ['0b101', 5],
    ['1_000', 1000], ['0x_1F', 31], ['1__0', undefined], ['_1', undefined], ['1_', undefined], ['08', undefined],
    ['1.5', undefined], ['', undefined], ['abc', undefined], ['0x', undefined], ['--1', undefined],
  ];
  for (const [s, want] of cases) assert.equal(parseGoInt(s), want, s);
});

test('parseGoFloat follows strconv.ParseFloat for decimal forms', () => {
  const cases: readonly (readonly [string, number | undefined])[] = [
    ['1.5', 1.5], ['-1.5', -1.5], ['1e3', 1000], ['.5', 0.5], ['5.', 5], ['inf', Infinity], ['-Inf', -Infinity], ['+Infinity', Infinity],
    ['1_0', undefined], ['abc', undefined], ['', undefined], ['1e', undefined],
  ];
  for (const [s, want] of cases) assert.equal(parseGoFloat(s), want, s);
  assert.ok(Number.isNaN(parseGoFloat('NaN')));
});

test('coerceNumber reads integer syntax for integral fields and float syntax for fractional ones', () => {
  assert.equal(coerceNumber('010', 8), 8, 'Go reads a leading 0 as octal for an integer field');
  assert.equal(coerceNumber('010', 0.5), 10, 'and as decimal for a float field');
  assert.equal(coerceNumber('1.5', 3), 1.5);
  assert.equal(coerceNumber('x', 3), undefined);
});
