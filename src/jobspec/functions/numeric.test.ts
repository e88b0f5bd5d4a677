import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('number functions follow the cty stdlib examples', () => {
  const cases: Case[] = [
    ['abs', [23], 23],
    ['abs', [0], 0],
    ['abs', [-12.4], 12.4],
    ['ceil', [5], 5],
    ['ceil', [5.1], 6],
    ['floor', [5], 5],
    ['floor', [4.9], 4],
    ['log', [50, 10], Math.log(50) / Math.log(10)],
    ['log', [16, 2], 4],
    ['max', [12, 54, 3], 54],
    ['min', [12, 54, 3], 3],
    ['max', ['7', 3], 7],
    ['pow', [3, 2], 9],
    ['pow', [4, 0], 1],
    ['signum', [-13], -1],
    ['signum', [0], 0],
    ['signum', [344], 1],
    ['parseint', ['100', 10], 100],
    ['parseint', ['FF', 16], 255],
    ['parseint', ['ff', 16], 255],
    ['parseint', ['-10', 16], -16],
    ['parseint', ['+7', 10], 7],
    ['parseint', ['1011111011101111', 2], 48879],
    ['parseint', ['aA', 62], 656],
    ['parseint', ['12', '10'], 12],
    ['sum', [[10, 13, 6, 4.5]], 33.5],
    ['sum', [['1', 2]], 3],
  ];
  checkCases(cases);
});

test('number functions reject bad arguments', () => {
  const errors: ErrorCase[] = [
    ['abs', ['x'], 0, 'a number is required, but got the string "x"'],
    ['ceil', [null], 0, 'must not be null'],
    ['max', [], undefined, 'must pass at least one number'],
    ['min', [1, 'a'], 1, 'a number is required'],
    ['parseint', ['12', 2], 0, 'cannot parse "12" as a base 2 integer'],
    ['parseint', ['', 10], 0, 'cannot parse "" as a base 10 integer'],
    ['parseint', ['FF', 1], 1, 'base must be a whole number between 2 and 62 inclusive'],
    ['parseint', [12, 10], 0, 'first argument must be a string, not a number'],
    ['sum', [[]], 0, 'cannot sum an empty list'],
    ['sum', [[1, 'x']], 0, 'element 1'],
  ];
  checkErrors(errors);
});

test('parseint reads back what format prints in bases 2, 8, 10 and 16', () => {
  fc.assert(
    fc.property(fc.integer(), (n) => {
      assert.equal(call('parseint', [call('format', ['%b', n]), 2]), n);
      assert.equal(call('parseint', [call('format', ['%o', n]), 8]), n);
      assert.equal(call('parseint', [call('format', ['%d', n]), 10]), n);
      assert.equal(call('parseint', [call('format', ['%x', n]), 16]), n);
    }),
  );
});

test('min and max bound every argument', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1 }), (ns) => {
      const lo = call('min', ns) as number;
      const hi = call('max', ns) as number;
      for (const n of ns) assert.ok(lo <= n && n <= hi);
    }),
  );
});
