import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from '../hcl/value.js';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('yamlencode writes what go-cty-yaml writes', () => {
  const cases: Case[] = [
    ['yamlencode', [{ a: 'b', c: 'd' }], '"a": "b"\n"c": "d"\n'],
    ['yamlencode', [{ foo: [1, 2, 3], bar: 'baz' }], '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'],
    ['yamlencode', [{ foo: [1, { a: 'b', c: 'd' }, 3], bar: 'baz' }], '"bar": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n'],
    ['yamlencode', [{ d: { e: 'multi\nline' }, f: [], g: {} }], '"d":\n  "e": |-\n    multi\n    line\n"f": []\n"g": {}\n'],
    ['yamlencode', [[['a', 'b'], 'c']], '- - "a"\n  - "b"\n- "c"\n'],
    ['yamlencode', [true], 'true\n...\n'],
    ['yamlencode', [''], '""\n'],
    ['yamlencode', ['hello'], '"hello"\n'],
    ['yamlencode', ['hello\nworld'], '|-\n  hello\n  world\n'],
    ['yamlencode', ['hello\n'], '|\n  hello\n'],
    ['yamlencode', ['a \nb'], '"a \\nb"\n'],
    ['yamlencode', ['tab\there'], '"tab\\there"\n'],
    ['yamlencode', [0], '0\n...\n'],
    ['yamlencode', [null], 'null\n...\n'],
    ['yamlencode', [{}], '{}\n'],
    ['yamlencode', [[]], '[]\n'],
    ['yamlencode', [1e21], '1000000000000000000000\n...\n'],
    ['yamldecode', ['hello: world'], { hello: 'world' }],
    ['yamldecode', ['- 1\n- 2.5\n- ~\n- "x"'], [1, 2.5, null, 'x']],
    ['yamldecode', ['a: yes\nb: Off\nc: true'], { a: true, b: false, c: true }],
    ['yamldecode', ['t: 2001-12-14\nu: 2001-12-14t21:59:43.10-05:00'], { t: '2001-12-14T00:00:00Z', u: '2001-12-14T21:59:43-05:00' }],
    ['yamldecode', ['base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2'], { base: { x: 1 }, derived: { x: 1, z: 2 } }],
    // YAML 1.1 reads a bare y as true, and go-cty-yaml then converts that key to the string "true".
    ['yamldecode', ['y: 2'], { true: 2 }],
    ['yamlencode', ['trail\n\n'], '|+\n  trail\n\n...\n'],
    ['yamldecode', ['0x1F'], 31],
    ['yamldecode', ['1: one'], { '1': 'one' }],
    ['yamldecode', [''], null],
  ];
  checkCases(cases);
  const errors: ErrorCase[] = [
    ['yamldecode', ['a: [1'], 0, 'the string is not valid YAML'],
    ['yamldecode', ['a: 1\n---\nb: 2'], 0, 'only a single document is allowed'],
    ['yamldecode', ['.nan'], 0, 'NaN is not supported'],
    ['yamldecode', ['? [a]\n: 1'], 0, 'only strings are allowed as mapping keys'],
    ['yamlencode', [NaN], 0, 'NaN'],
    ['yamldecode', ['~: 1'], 0, 'mapping key cannot be null'],
  ];
  checkErrors(errors);
});

const yamlValue: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.constantFrom('yes', 'null', '~', '1.5', 'a\nb', ' lead', 'trail\n\n', '#x', 'a: b'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v;

test('yamldecode(yamlencode(v)) == v', () => {
  fc.assert(
    fc.property(yamlValue, (v) => {
      assert.deepEqual(call('yamldecode', [call('yamlencode', [v])]), v);
    }),
    { numRuns: 300 },
  );
});
