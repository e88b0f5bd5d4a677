import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('set functions follow the cty stdlib examples', () => {
  const cases: Case[] = [
    ['setintersection', [['a', 'b'], ['b', 'c'], ['b', 'd']], ['b']],
    ['setunion', [['a', 'b'], ['b', 'c'], ['d']], ['a', 'b', 'c', 'd']],
    ['setunion', [[1, 2], ['a']], ['1', '2', 'a']],
    ['setsubtract', [['a', 'b', 'c'], ['a', 'c']], ['b']],
    ['setsubtract', [[3, 1, 2], [2]], [1, 3]],
    ['setproduct', [['development', 'staging', 'production'], ['app1', 'app2']], [
      ['development', 'app1'], ['development', 'app2'], ['staging', 'app1'], ['staging', 'app2'], ['production', 'app1'], ['production', 'app2'],
    ]],
    ['setproduct', [['a'], []], []],
    ['setproduct', [[{ a: 1 }], [1, 2]], [[{ a: 1 }, 1], [{ a: 1 }, 2]]],
  ];
  checkCases(cases);
});

test('set functions reject bad arguments', () => {
  const errors: ErrorCase[] = [
    ['setproduct', [['a']], undefined, 'at least two arguments are required'],
    ['setproduct', [['a'], 'b'], 1, 'a list, set or tuple is required'],
    ['setunion', [['a'], { b: 1 }], 1, 'a list, set or tuple is required'],
    ['setunion', [[1], [true]], 0, 'must be of the same type'],
  ];
  checkErrors(errors);
});

test('union contains both inputs and intersection is contained in each', () => {
  const set = fc.array(fc.string({ maxLength: 3 }), { maxLength: 8 });
  fc.assert(
    fc.property(set, set, (a, b) => {
      const union = call('setunion', [a, b]) as string[];
      const inter = call('setintersection', [a, b]) as string[];
      for (const x of [...a, ...b]) assert.ok(union.includes(x));
      for (const x of inter) assert.ok(a.includes(x) && b.includes(x));
      assert.deepEqual(call('setunion', [union, union]), union);
      assert.deepEqual(call('setsubtract', [a, a]), []);
    }),
  );
});
