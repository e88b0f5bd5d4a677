import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, checkCases, checkErrors } from './testing.js';
import type { Case, ErrorCase } from './testing.js';

test('string functions follow the cty stdlib examples', () => {
  const cases: Case[] = [
    ['upper', ['hello'], 'HELLO'],
    ['upper', ['алло!'], 'АЛЛО!'],
    ['upper', [5], '5'],
    ['lower', ['HELLO'], 'hello'],
    ['title', ['hello world'], 'Hello World'],
    ['title', ['hello-world foo_bar'], 'Hello-World Foo_bar'],
    ['strlen', ['hello'], 5],
    ['strlen', ['🤔🤷‍♂️'], 2],
    ['strrev', ['hello'], 'olleh'],
    ['strrev', ['a☃'], '☃a'],
    ['chomp', ['hello\n'], 'hello'],
    ['chomp', ['hello\r\n'], 'hello'],
    ['chomp', ['hello\n\n'], 'hello'],
    ['chomp', ['hello\nworld'], 'hello\nworld'],
    ['trimspace', ['  hello\n\n'], 'hello'],
    ['trimspace', ['\ufeffx'], '\ufeffx'],
    ['trim', ['?!hello?!', '!?'], 'hello'],
    ['trim', ['foobar', 'far'], 'oob'],
    ['trimprefix', ['helloworld', 'hello'], 'world'],
    ['trimprefix', ['helloworld', 'cat'], 'helloworld'],
    ['trimsuffix', ['helloworld', 'world'], 'hello'],
    ['startswith', ['hello world', 'hello'], true],
    ['endswith', ['hello world', 'hello'], false],
    ['strcontains', ['hello world', 'o w'], true],
    ['replace', ['1 + 2 + 3', '+', '-'], '1 - 2 - 3'],
    ['replace', ['hello world', 'world', '$&'], 'hello $&'],
    ['replace', ['abc', '', '-'], '-a-b-c-'],
    ['substr', ['hello world', 1, 4], 'ello'],
    ['substr', ['🤔🤷', 0, 1], '🤔'],
    ['substr', ['hello world', -5, -1], 'world'],
    ['substr', ['hello world', 7, -1], 'orld'],
    ['substr', ['hello world', 20, 2], ''],
    ['substr', ['hello', 1, 0], ''],
    ['substr', ['hello', -3, 0], 'llo'],
    ['indent', [2, '[\n  foo,\n  bar,\n]\n'], '[\n    foo,\n    bar,\n  ]\n  '],
    ['split', [',', 'foo,bar,baz'], ['foo', 'bar', 'baz']],
    ['split', [',', 'foo'], ['foo']],
    ['split', [',', ''], ['']],
    ['split', ['', 'a☃b'], ['a', '☃', 'b']],
    ['join', [', ', ['foo', 'bar', 'baz']], 'foo, bar, baz'],
    ['join', [', ', ['foo']], 'foo'],
    ['join', ['-', ['a', 1], [true]], 'a-1-true'],
  ];
  checkCases(cases);
});

test('string functions reject bad arguments with the argument index', () => {
  const errors: ErrorCase[] = [
    ['upper', [null], 0, 'argument must not be null'],
    ['upper', [['a']], 0, 'a string is required, but got a list'],
    ['substr', ['abc', 1.5, 1], 1, 'a whole number is required'],
    ['substr', ['abc', 'x', 1], 1, 'a number is required, but got the string "x"'],
    ['indent', [-1, 'a'], 0, 'must not be negative'],
    ['join', [','], undefined, 'at least one list is required'],
    ['join', [',', ['a', null]], 1, 'element 1 is null'],
    ['join', [',', ['a'], 'b'], 2, 'a list, set or tuple is required'],
  ];
  checkErrors(errors);
});

test('strrev is an involution and strlen counts what substr slices', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      assert.equal(call('strrev', [call('strrev', [s])]), s);
      assert.equal(call('substr', [s, 0, -1]), s);
      const n = call('strlen', [s]) as number;
      assert.equal(call('substr', [s, n, 5]), '');
    }),
  );
});

test('split and join are inverse for a non-empty separator', () => {
  fc.assert(
    fc.property(fc.array(fc.string().filter((s) => !s.includes(','))), (parts) => {
      fc.pre(parts.length > 0);
      assert.deepEqual(call('split', [',', call('join', [',', parts])]), parts);
    }),
  );
});
