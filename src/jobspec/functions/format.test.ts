import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('format verbs, flags, widths and precisions behave as in cty', () => {
  const cases: Case[] = [
    ['format', ['Hello, %s!', 'Ander'], 'Hello, Ander!'],
    ['format', ['There are %d lights', 4], 'There are 4 lights'],
    ['format', ['%%%v', false], '%false'],
    ['format', ['string %v', 'hello'], 'string hello'],
    ['format', ['number %v', 2], 'number 2'],
    ['format', ['%v', 1234567], '1.234567e+06'],
    ['format', ['%v', 0.00001], '1e-05'],
    ['format', ['%v', null], 'null'],
    ['format', ['object %v', {}], 'object {}'],
    ['format', ['tuple %v', []], 'tuple []'],
    ['format', ['%#v', 'hi'], '"hi"'],
    ['format', ['%#v', { b: 1, a: [true, null] }], '{"a":[true,null],"b":1}'],
    ['format', ['%t', 'true'], 'true'],
    ['format', ['%d', '12'], '12'],
    ['format', ['%5d|%-5d|%05d|%+d|% d', 42, 42, 42, 42, 42], '   42|42   |00042|+42| 42'],
    ['format', ['%05d', -42], '-0042'],
    ['format', ['%b %o %x %X %#x', 5, 8, 255, 255, 255], '101 10 ff FF 0xff'],
    ['format', ['%.3d', 7], '007'],
    ['format', ['%f', 3.14159], '3.141590'],
    ['format', ['%.2f', 3.14159], '3.14'],
    ['format', ['%8.2f|%-8.2f|%08.2f', 3.14159, 3.14159, -3.14159], '    3.14|3.14    |-0003.14'],
    ['format', ['%e things', 1000], '1.000000e+03 things'],
    ['format', ['%.2E', 123456], '1.23E+05'],
    ['format', ['%g %g %g', 100000, 1000000, 0.0001234], '100000 1e+06 0.0001234'],
    ['format', ['%.3g', 3.14159], '3.14'],
    ['format', ['%f', 1e21], '1000000000000000000000.000000'],
    ['format', ['%s', 12], '12'],
    ['format', ['%s', true], 'true'],
    ['format', ['%10s|%-10s|', 'hi', 'hi'], '        hi|hi        |'],
    ['format', ['%.3s', 'abcdef'], 'abc'],
    ['format', ['%.1s', '🤷‍♂️x'], '🤷‍♂️'],
    ['format', ['%3s', '☃'], '  ☃'],
    ['format', ['%q', 'a"b<'], '"a\\"b\\u003c"'],
    ['format', ['%[2]s %[1]s %s', 'a', 'b'], 'b a b'],
    ['format', ['no verbs'], 'no verbs'],
    ['formatlist', ['Hello, %s!', ['Valentina', 'Ander', 'Olivia', 'Sam']], ['Hello, Valentina!', 'Hello, Ander!', 'Hello, Olivia!', 'Hello, Sam!']],
    ['formatlist', ['%s, %s!', 'Salutations', ['Valentina', 'Ander']], ['Salutations, Valentina!', 'Salutations, Ander!']],
    ['formatlist', ['%s=%d', ['a', 'b'], [1, 2]], ['a=1', 'b=2']],
    ['formatlist', ['%s', []], []],
    ['formatlist', ['x'], ['x']],
  ];
  checkCases(cases);
});

test('format reports unusable values and argument mismatches', () => {
  const errors: ErrorCase[] = [
    ['format', ['%d', 1.5], 1, 'an integer is required'],
    ['format', ['%d', 'x'], 1, 'unsupported value for "%d" at 0'],
    ['format', ['%s', null], 1, 'null value cannot be formatted'],
    ['format', ['%s', ['a']], 1, 'unsupported value for "%s"'],
    ['format', ['%t', 'yes'], 1, 'unsupported value for "%t"'],
    ['format', ['%v %v %v', true, true], undefined, 'not enough arguments for "%v" at 6: need index 3 but have 2 total'],
    ['format', ['%s', 'a', 'b'], 2, 'too many arguments; only 1 used by format string'],
    ['format', ['hello', 'a'], 1, 'too many arguments; no verbs in format string'],
    ['format', ['%y', 1], undefined, 'unsupported format verb "y"'],
    ['format', ['100%', 1], undefined, 'invalid format string'],
    ['format', [null], 0, 'must not be null'],
    ['formatlist', ['%s %s', ['a', 'b'], ['c']], 2, 'argument 2 has length 1, which is inconsistent with argument 1 of length 2'],
    ['formatlist', ['%d', ['a']], 1, 'error on format iteration 0'],
  ];
  checkErrors(errors);
});

test('%s of any string is the string; %q of any string is its JSON form, HTML-escaped', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      assert.equal(call('format', ['%s', s]), s);
      assert.equal(JSON.parse(call('format', ['%q', s]) as string), s);
    }),
  );
});

test('%d of an integer round-trips through tonumber', () => {
  fc.assert(
    fc.property(fc.integer(), (n) => {
      assert.equal(call('tonumber', [call('format', ['%d', n])]), n);
    }),
  );
});
