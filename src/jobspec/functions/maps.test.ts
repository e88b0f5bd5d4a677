import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('map functions follow the cty stdlib examples', () => {
  const cases: Case[] = [
    ['keys', [{ a: 1, c: 2, d: 3 }], ['a', 'c', 'd']],
    ['keys', [{ b: 1, '10': 2, '9': 3 }], ['10', '9', 'b']],
    ['values', [{ a: 3, c: 2, d: 1 }], [3, 2, 1]],
    ['lookup', [{ a: 'ay', b: 'bee' }, 'a', 'what?'], 'ay'],
    ['lookup', [{ a: 'ay', b: 'bee' }, 'c', 'what?'], 'what?'],
    ['lookup', [{ a: 'ay' }, 'a'], 'ay'],
    ['merge', [{ a: 'b', c: 'd' }, { e: 'f', c: 'z' }], { a: 'b', c: 'z', e: 'f' }],
    ['merge', [{ a: 'b' }, { e: [1] }, null], { a: 'b', e: [1] }],
    ['merge', [], {}],
    ['zipmap', [['a', 'b'], [1, 2]], { a: 1, b: 2 }],
    ['zipmap', [['a', 'b'], [1, 2]], { a: 1, b: 2 }],
    ['zipmap', [['a', 'a'], [1, 2]], { a: 2 }],
    ['transpose', [{ a: ['1', '2'], b: ['2', '3'] }], { '1': ['a'], '2': ['a', 'b'], '3': ['b'] }],
  ];
  checkCases(cases);
  // A "__proto__" key is data, not the prototype.
  const merged = call('merge', [JSON.parse('{"__proto__": {"x": 1}}') as Record<string, never>]);
  assert.deepEqual(Object.keys(merged as object), ['__proto__']);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
});

test('map functions reject bad arguments', () => {
  const errors: ErrorCase[] = [
    ['keys', [['a']], 0, 'a map or object is required'],
    ['lookup', [{ a: 1 }, 'b'], 1, 'the given key "b" was not found'],
    ['lookup', [['a'], 'b', 1], 0, 'a map or object is required'],
    ['merge', [{ a: 1 }, 'x'], 1, 'arguments must be maps or objects'],
    ['zipmap', [['a'], [1, 2]], undefined, 'number of keys (1) does not match number of values (2)'],
    ['zipmap', [['a', null], [1, 2]], 0, 'keys list has null value at index 1'],
    ['transpose', [{ a: 'x' }], 0, 'a map of lists of strings is required'],
  ];
  checkErrors(errors);
});

test('keys and values line up with zipmap', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.integer(), { noNullPrototype: true }), (m) => {
      assert.deepEqual(call('zipmap', [call('keys', [m]), call('values', [m])]), m);
    }),
  );
});
