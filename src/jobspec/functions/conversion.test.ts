import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from '../hcl/value.js';
import { convertValue, numberToString, typeToString } from './conversion.js';
import { checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';
import type { HclType } from './types.js';
import { FunctionError } from './types.js';

const str: HclType = { kind: 'string' };
const num: HclType = { kind: 'number' };
const bool: HclType = { kind: 'bool' };
const listOf = (elem: HclType): HclType => ({ kind: 'list', elem });

test('typeToString spells types as HCL does', () => {
  assert.equal(typeToString(listOf(str)), 'list(string)');
  assert.equal(typeToString({ kind: 'map', elem: listOf(num) }), 'map(list(number))');
  assert.equal(typeToString({ kind: 'tuple', elems: [str, bool] }), 'tuple([string,bool])');
  assert.equal(
    typeToString({ kind: 'object', attrs: { b: { type: num, optional: true }, a: { type: str, optional: false } } }),
    'object({a=string,b=optional(number)})',
  );
});

test('convertValue applies cty conversion rules', () => {
  const rows: [Value, HclType, Value][] = [
    [5, str, '5'],
    [1e21, str, '1000000000000000000000'],
    [0.1, str, '0.1'],
    [true, str, 'true'],
    ['12.5', num, 12.5],
    ['-1e3', num, -1000],
    ['true', bool, true],
    ['0', bool, false],
    [null, listOf(str), null],
    [[1, 'a', true], listOf(str), ['1', 'a', 'true']],
    [['b', 'a', 'b'], { kind: 'set', elem: str }, ['a', 'b']],
    [[3, 1, 3], { kind: 'set', elem: num }, [1, 3]],
    [{ a: 1, b: '2' }, { kind: 'map', elem: num }, { a: 1, b: 2 }],
    [['1', 2], { kind: 'tuple', elems: [num, str] }, [1, '2']],
    [{ x: 'anything' }, { kind: 'any' }, { x: 'anything' }],
    [
      { a: '1', extra: true },
      { kind: 'object', attrs: { a: { type: num, optional: false }, b: { type: str, optional: true, default: 'dflt' }, c: { type: str, optional: true } } },
      { a: 1, b: 'dflt', c: null },
    ],
    [{ a: null }, { kind: 'object', attrs: { a: { type: str, optional: true, default: 'd' } } }, { a: 'd' }],
    [[['a', 'b'], ['c']], listOf({ kind: 'list', elem: { kind: 'any' } }), [['a', 'b'], ['c']]],
  ];
  for (const [value, type, want] of rows) assert.deepEqual(convertValue(value, type), want, `${JSON.stringify(value)} → ${typeToString(type)}`);
});

test('convertValue explains what was required and where it failed', () => {
  const rows: [Value, HclType, string][] = [
    ['abc', num, 'a number is required, but got the string "abc"'],
    [true, num, 'a number is required, but got a bool'],
    ['yes', bool, 'a bool is required, but got the string "yes"'],
    ['TRUE', bool, 'a bool is required; to convert from string, use lowercase "true"'],
    [['a', {}], listOf(str), 'a list of string is required; element 1 must be a string, but got an object'],
    [{ a: 'x' }, listOf(str), 'a list of string is required, but got an object'],
    [[1, 2, 3], { kind: 'tuple', elems: [num] }, 'a tuple([number]) is required with 1 elements, but got 3'],
    [{}, { kind: 'object', attrs: { a: { type: num, optional: false } } }, 'an object({a=number}) is required; attribute "a" is missing'],
    [{ o: { n: 'x' } }, { kind: 'object', attrs: { o: { type: { kind: 'object', attrs: { n: { type: num, optional: false } } }, optional: false } } }, 'attribute "o", attribute "n" must be a number'],
  ];
  for (const [value, type, message] of rows) {
    assert.throws(() => convertValue(value, type), (err: unknown) => err instanceof FunctionError && err.message.includes(message) && err.argIndex === undefined, message);
  }
});

test('conversion functions', () => {
  const cases: Case[] = [
    ['tostring', ['hello'], 'hello'],
    ['tostring', [1], '1'],
    ['tostring', [true], 'true'],
    ['tostring', [null], null],
    ['tonumber', ['1'], 1],
    ['tonumber', [null], null],
    ['tobool', ['true'], true],
    ['tobool', [null], null],
    ['tolist', [['a', 'b', 'c']], ['a', 'b', 'c']],
    ['tolist', [['a', 'b', 3]], ['a', 'b', '3']],
    ['toset', [['a', 'b', 'c']], ['a', 'b', 'c']],
    ['toset', [['c', 'b', 'b']], ['b', 'c']],
    ['toset', [['a', 'b', 3]], ['3', 'a', 'b']],
    ['tomap', [{ a: 1, b: 2 }], { a: 1, b: 2 }],
    ['tomap', [{ a: 'foo', b: true }], { a: 'foo', b: 'true' }],
    ['convert', [['a', 1], { kind: 'list', elem: { kind: 'string' } }], ['a', '1']],
    ['convert', ['5', 'number'], 5],
    ['convert', [{ a: '1' }, { kind: 'object', attrs: { a: { type: { kind: 'number' }, optional: false }, b: { type: { kind: 'string' }, optional: true, default: 'x' } } }], { a: 1, b: 'x' }],
  ];
  checkCases(cases);
  const errors: ErrorCase[] = [
    ['tonumber', ['no'], 0, 'Invalid value for "v" parameter: a number is required, but got the string "no"'],
    ['tobool', ['1.0'], 0, 'a bool is required'],
    ['tostring', [['a']], 0, 'cannot convert a list to string'],
    ['tolist', [[1, true]], 0, 'do not share a single type'],
    ['tolist', [{ a: 1 }], 0, 'a list of any is required, but got an object'],
    ['convert', [1, { kind: 'nope' }], 1, 'a type constraint is required'],
    ['convert', [['a', {}], { kind: 'list', elem: { kind: 'string' } }], 0, 'a list of string is required; element 1 must be a string'],
  ];
  checkErrors(errors);
});

test('numbers survive tostring and tonumber', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      const s = numberToString(n);
      assert.doesNotMatch(s, /e/);
      assert.equal(convertValue(s, num), n === 0 ? 0 : n);
    }),
  );
});

test('converting to set(string) is idempotent and yields unique sorted elements', () => {
  const set: HclType = { kind: 'set', elem: str };
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean())), (items) => {
      const once = convertValue(items, set) as string[];
      assert.deepEqual(convertValue(once, set), once);
      assert.equal(new Set(once).size, once.length);
    }),
  );
});
