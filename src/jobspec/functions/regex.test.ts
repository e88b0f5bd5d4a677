import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { translateGoRegex } from './regex-syntax.js';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('regex, regexall and regex_replace follow the cty examples', () => {
  const cases: Case[] = [
    ['regex', ['[a-z]+', '53453453.345345aaabbbccc23454'], 'aaabbbccc'],
    ['regex', ['(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'], ['2019', '02', '01']],
    ['regex', ['^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://terraform.io/docs/'], { scheme: 'https', authority: 'terraform.io' }],
    ['regex', ['(a)|(b)', 'b'], [null, 'b']],
    ['regex', ['(?i)HELLO', 'say hello'], 'hello'],
    ['regex', ['[[:digit:]]+', 'ab123'], '123'],
    ['regex', ['\\Qa.b\\E', 'xa.b'], 'a.b'],
    ['regex', ['a{2}', 'caaa'], 'aa'],
    ['regex', ['x{', 'x{'], 'x{'],
    ['regex', ['\\s+', 'a\u00a0 \tb'], ' \t'],
    ['regexall', ['[a-z]+', '1234abcd5678efgh9'], ['abcd', 'efgh']],
    ['regexall', ['[a-z]+', '123'], []],
    ['regexall', ['(\\w)=(\\d)', 'a=1 b=2'], [['a', '1'], ['b', '2']]],
    ['regexall', ['b*', 'abc'], ['', 'b', '']],
    ['regex_replace', ['abc', 'b*', '-'], '-a-c-'],
    ['regex_replace', ['hello world', '(?P<w>\\w+)', '<${w}>'], '<hello> <world>'],
    ['regex_replace', ['2019-02-01', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1'], '01/02/2019'],
    ['regex_replace', ['abc', 'b', '$1x'], 'ac'],
    ['regex_replace', ['abc', 'b', '$$'], 'a$c'],
    ['regex_replace', ['abc', 'b', '${1}x'], 'axc'],
  ];
  checkCases(cases);
});

test('patterns RE2 rejects are rejected', () => {
  const errors: ErrorCase[] = [
    ['regex', ['[a-z]+', '123'], undefined, 'pattern did not match any part of the given string'],
    ['regex', ['(?P<a>x)(y)', 'xy'], 0, 'cannot mix both named and unnamed capture groups'],
    ['regex', ['(a)\\1', 'aa'], 0, 'backreferences are not supported'],
    ['regex', ['a(?=b)', 'ab'], 0, 'invalid or unsupported Perl syntax'],
    ['regex', ['[a-', 'a'], 0, 'error parsing pattern'],
    ['regex', ['\\q', 'a'], 0, 'invalid escape sequence'],
    ['regex_replace', ['a', '(', 'x'], 1, 'error parsing pattern'],
    ['regexall', [null, 'a'], 0, 'must not be null'],
  ];
  checkErrors(errors);
});

test('escaped punctuation matches itself, as RE2 allows', () => {
  fc.assert(
    fc.property(fc.constantFrom(...'!"#%&\',-:;<=>@_`~/'.split('')), (ch) => {
      const { source, flags } = translateGoRegex(`\\${ch}`);
      assert.ok(new RegExp(source, flags).test(ch));
    }),
  );
});

test('regex_replace with a literal pattern agrees with replace', () => {
  fc.assert(
    fc.property(fc.string(), fc.stringMatching(/^[a-z]{1,3}$/), fc.stringMatching(/^[a-z]*$/), (s, find, repl) => {
      assert.equal(call('regex_replace', [s, find, repl]), call('replace', [s, find, repl]));
    }),
  );
});
