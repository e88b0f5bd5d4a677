import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from '../hcl/value.js';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('jsonencode sorts keys, adds no spaces and escapes as Go does', () => {
  const cases: Case[] = [
    ['jsonencode', [{ hello: 'world' }], '{"hello":"world"}'],
    ['jsonencode', [{ b: [1, 2.5, null], a: true }], '{"a":true,"b":[1,2.5,null]}'],
    ['jsonencode', [{ '10': 1, '9': 2, a: 3 }], '{"10":1,"9":2,"a":3}'],
    ['jsonencode', ['<b>&\u2028'], '"\\u003cb\\u003e\\u0026\\u2028"'],
    ['jsonencode', [1e21], '1000000000000000000000'],
    ['jsonencode', [null], 'null'],
    ['jsondecode', ['{"hello": "world"}'], { hello: 'world' }],
    ['jsondecode', ['true'], true],
    ['jsondecode', ['[1, "a", null, {"b": 1e3}]'], [1, 'a', null, { b: 1000 }]],
  ];
  checkCases(cases);
  const errors: ErrorCase[] = [
    ['jsondecode', ['{"a":'], 0, 'the string is not valid JSON'],
    ['jsondecode', [''], 0, 'not valid JSON'],
    ['jsonencode', [Infinity], 0, 'cannot be represented in JSON'],
  ];
  checkErrors(errors);
});

test('jsondecode(jsonencode(v)) == v', () => {
  fc.assert(
    fc.property(fc.jsonValue({ noUnicodeString: false }), (raw) => {
      const v = JSON.parse(JSON.stringify(raw)) as Value; // normalise -0 and drop null prototypes
      assert.deepEqual(call('jsondecode', [call('jsonencode', [v])]), v);
    }),
  );
});
