import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from '../hcl/value.js';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

const jsonValue: fc.Arbitrary<Value> = fc.jsonValue() as fc.Arbitrary<Value>;

test('list functions follow the cty stdlib examples', () => {
  const cases: Case[] = [
    ['length', [[]], 0],
    ['length', [['a', 'b']], 2],
    ['length', [{ a: 'b' }], 1],
    ['element', [['a', 'b', 'c'], 1], 'b'],
    ['element', [['a', 'b', 'c'], 3], 'a'],
    ['element', [['a', 'b', 'c'], 7], 'b'],
    ['index', [['a', 'b', 'c'], 1], 'b'],
    ['index', [{ a: 1, b: 2 }, 'b'], 2],
    ['contains', [['a', 'b', 'c'], 'a'], true],
    ['contains', [['a', 'b', 'c'], 'd'], false],
    ['contains', [['1'], 1], false],
    ['contains', [[{ a: [1] }], { a: [1] }], true],
    ['distinct', [['a', 'b', 'a', 'c', 'd', 'b']], ['a', 'b', 'c', 'd']],
    ['distinct', [[1, '1', 1]], [1, '1']],
    ['compact', [['a', '', 'b', 'c']], ['a', 'b', 'c']],
    ['compact', [['a', null, '', 1]], ['a', '1']],
    ['concat', [['a', ''], ['b', 'c']], ['a', '', 'b', 'c']],
    ['flatten', [[['a', 'b'], [], ['c']]], ['a', 'b', 'c']],
    ['flatten', [[[['a', 'b'], []], ['c']]], ['a', 'b', 'c']],
    ['flatten', [[{ a: [1] }, [2]]], [{ a: [1] }, 2]],
    ['chunklist', [['a', 'b', 'c', 'd', 'e'], 2], [['a', 'b'], ['c', 'd'], ['e']]],
    ['chunklist', [['a', 'b', 'c', 'd', 'e'], 1], [['a'], ['b'], ['c'], ['d'], ['e']]],
    ['chunklist', [['a', 'b'], 0], [['a', 'b']]],
    ['chunklist', [[], 3], []],
    ['slice', [['a', 'b', 'c', 'd'], 1, 3], ['b', 'c']],
    ['slice', [['a'], 1, 1], []],
    ['sort', [['e', 'd', 'a', 'x']], ['a', 'd', 'e', 'x']],
    ['sort', [[3, 11, 2]], ['11', '2', '3']],
    ['sort', [['b', 'é', 'a', 'Z']], ['Z', 'a', 'b', 'é']],
    ['reverse', [[1, 2, 3]], [3, 2, 1]],
    ['reverse', ['hello'], 'olleh'],
    ['coalesce', ['a', 'b'], 'a'],
    ['coalesce', [null, 'b'], 'b'],
    ['coalesce', ['', 'b'], ''],
    ['coalesce', [1, 2], 1],
    ['coalesce', [null, 1, 'a'], '1'],
    ['coalescelist', [['a', 'b'], ['c', 'd']], ['a', 'b']],
    ['coalescelist', [[], ['c', 'd']], ['c', 'd']],
    ['range', [3], [0, 1, 2]],
    ['range', [1, 4], [1, 2, 3]],
    ['range', [1, 8, 2], [1, 3, 5, 7]],
    ['range', [1, 4, 0.5], [1, 1.5, 2, 2.5, 3, 3.5]],
    ['range', [4, 1], [4, 3, 2]],
    ['range', [10, 5, -2], [10, 8, 6]],
    ['range', [-3], [0, -1, -2]],
    ['range', [0], []],
    ['one', [[]], null],
    ['one', [['hello']], 'hello'],
    ['alltrue', [['true', true]], true],
    ['alltrue', [[true, false]], false],
    ['alltrue', [[]], true],
    ['anytrue', [['true']], true],
    ['anytrue', [[false, 'false']], false],
    ['anytrue', [[]], false],
  ];
  checkCases(cases);
});

test('list functions reject bad arguments', () => {
  const errors: ErrorCase[] = [
    ['length', ['abc'], 0, 'use strlen'],
    ['length', [null], 0, 'must not be null'],
    ['element', [[], 0], 0, 'cannot use element function with an empty list'],
    ['element', [['a'], -1], 1, 'cannot use element function with a negative index'],
    ['index', [['a', 'b'], 'b'], 1, 'a number is required'],
    ['index', [['a', 'b'], 5], 1, 'out of range'],
    ['index', [{ a: 1 }, 'z'], 1, 'no element with the key "z"'],
    ['contains', ['abc', 'a'], 0, 'a list, set or tuple is required'],
    ['chunklist', [['a'], -1], 1, 'the size argument must be positive'],
    ['slice', [['a', 'b'], 2, 1], 1, 'start index must not be greater than end index'],
    ['slice', [['a', 'b'], 0, 3], 2, 'end index must not be greater than the length of the list'],
    ['slice', [['a', 'b'], -1, 1], 1, 'start index must not be less than zero'],
    ['sort', [['a', null]], 0, 'given list element 1 is null'],
    ['concat', [['a'], 'b'], 1, 'a list, set or tuple is required'],
    ['concat', [], undefined, 'at least one argument is required'],
    ['coalesce', [null, null], undefined, 'no non-null arguments'],
    ['coalesce', [1, ['a']], undefined, 'all arguments must have the same type'],
    ['coalescelist', [[], []], undefined, 'no non-null arguments'],
    ['coalescelist', [[], 'a'], 1, 'must be lists or tuples'],
    ['range', [1, 4, 0], 2, 'step must not be zero'],
    ['range', [1, 4, -1], 1, 'end must be less than start when step is negative'],
    ['range', [4, 1, 1], 1, 'end must be greater than start when step is positive'],
    ['range', [0, 2000], undefined, 'more than 1024 values were generated'],
    ['range', [], undefined, 'one, two, or three arguments'],
    ['one', [['a', 'b']], 0, 'either zero or one elements'],
    ['alltrue', [[true, 'maybe']], 0, 'element 1'],
    ['reverse', [{}], 0, 'a list, tuple or string is required'],
  ];
  checkErrors(errors);
});

test('reverse is an involution and distinct is idempotent', () => {
  fc.assert(
    fc.property(fc.array(jsonValue), (list) => {
      assert.deepEqual(call('reverse', [call('reverse', [list])]), list);
      const once = call('distinct', [list]);
      assert.deepEqual(call('distinct', [once]), once);
      for (const item of list) assert.equal(call('contains', [once, item]), true);
    }),
  );
});

test('chunklist then flatten gives back a flat list', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.integer())), fc.integer({ min: 1, max: 5 }), (list, size) => {
      assert.deepEqual(call('flatten', [call('chunklist', [list, size])]), list);
    }),
  );
});
