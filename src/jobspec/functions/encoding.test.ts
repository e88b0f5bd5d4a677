import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('encoding functions follow the go-cty-funcs examples', () => {
  const cases: Case[] = [
    ['base64encode', ['Hello World'], 'SGVsbG8gV29ybGQ='],
    ['base64decode', ['SGVsbG8gV29ybGQ='], 'Hello World'],
    ['base64decode', ['4pyTIMOgIGxhIG1vZGU='], '✓ à la mode'],
    ['urlencode', ['Hello World!'], 'Hello+World%21'],
    ['urlencode', ['☃'], '%E2%98%83'],
    ['urlencode', ['foo:bar@localhost?foo=bar&bar=baz'], 'foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz'],
    ['urlencode', ['a-b_c.d~e'], 'a-b_c.d~e'],
    ['csvdecode', ['a,b,c\n1,2,3\n4,5,6'], [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: '6' }]],
    ['csvdecode', ['a,b\r\n"x,1","say ""hi"""\r\n\r\n2,\n'], [{ a: 'x,1', b: 'say "hi"' }, { a: '2', b: '' }]],
    ['csvdecode', ['a,b\n"multi\nline",1'], [{ a: 'multi\nline', b: '1' }]],
    ['csvdecode', ['only,header'], []],
  ];
  checkCases(cases);
  const errors: ErrorCase[] = [
    ['base64decode', ['SGVsbG8'], 0, 'failed to decode base64 data "SGVsbG8"'],
    ['base64decode', ['/w=='], 0, 'not valid UTF-8'],
    ['base64decode', ['SGVs bG8='], 0, 'failed to decode base64 data'],
    ['csvdecode', [''], 0, 'missing header line'],
    ['csvdecode', ['a,b\n1,2,3'], 0, 'CSV parse error on line 2: wrong number of fields'],
    ['csvdecode', ['a,a\n1,2'], 0, 'duplicate column name "a"'],
    ['csvdecode', ['a\nx"y'], 0, 'bare " in non-quoted-field'],
    ['csvdecode', ['a\n"x'], 0, 'extraneous or missing " in quoted-field'],
  ];
  checkErrors(errors);
});

test('base64decode(base64encode(s)) == s', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      assert.equal(call('base64decode', [call('base64encode', [s])]), s);
    }),
  );
});

test('urlencode output uses only unreserved characters, + and %XX', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const out = call('urlencode', [s]) as string;
      assert.match(out, /^(?:[A-Za-z0-9\-_.~+]|%[0-9A-F]{2})*$/);
      assert.equal(decodeURIComponent(out.replaceAll('+', ' ')), s);
    }),
  );
});
