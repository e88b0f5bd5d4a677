import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterError, compileFilter } from './index.js';
import { parseFilter } from './parser.js';

describe('syntax go-bexpr accepts', () => {
  const ok = [
    'Status == "running"',
    'Status=="running"',
    '  Status  !=  running  ',
    'Status == "running"\n  and\tPriority == 50',
    'Priority == -1',
    'Priority == 1.5',
    'Priority == 0',
    '(Priority == 0)',
    'Meta["a b"]["c"] == x',
    'Tags.0 == web',
    'Attributes.driver/docker == "1"',
    '"/Meta/a~1b" == x',
    '"" is not empty',
    'Name matches `^[a-z]+$`',
    'Meta is empty',
    'Meta is not nil',
    '"a" not in Tags',
    'Tags not contains a',
    'Name not matches "x"',
    'all Tags as t { t != "x" }',
    'any Meta as k, v { k == v }',
    'any Meta as k, _ { k == "a" }',
    'any Meta as _, v { v == "a" }',
  ];
  for (const expr of ok) test(JSON.stringify(expr), () => assert.doesNotThrow(() => parseFilter(expr)));

  test('selectors decode brackets, indexes and JSON pointer escapes', () => {
    const sel = (expr: string): readonly string[] => {
      const ast = parseFilter(expr);
      assert.equal(ast.kind, 'match');
      return ast.kind === 'match' ? ast.selector.path : [];
    };
    assert.deepEqual(sel('Meta["a b"].c == x'), ['Meta', 'a b', 'c']);
    assert.deepEqual(sel('Tags.0 == x'), ['Tags', '0']);
    assert.deepEqual(sel('"/Meta/a~1b/c~0d" == x'), ['Meta', 'a/b', 'c~d']);
    assert.deepEqual(sel('"" == x'), []);
  });

  test('contains is in with the operands swapped; not not cancels out', () => {
    const a = parseFilter('Tags contains web');
    const b = parseFilter('web in Tags');
    assert.ok(a.kind === 'match' && b.kind === 'match');
    assert.equal(a.operator, 'in');
    assert.equal(b.operator, 'in');
    assert.deepEqual(a.value?.raw, b.value?.raw);
    assert.deepEqual(a.selector.path, b.selector.path);
    assert.equal(parseFilter('not not Tags contains web').kind, 'match');
  });

  test('and binds tighter than or', () => {
    const ast = parseFilter('a == 1 or b == 2 and c == 3');
    assert.equal(ast.kind, 'or');
    assert.ok(ast.kind === 'or' && ast.right.kind === 'and');
  });
});

describe('parse errors say what was expected where', () => {
  const cases: readonly (readonly [string, number, number, RegExp])[] = [
    ['Status = "running"', 1, 8, /expected one of "==", "!=", "contains", "matches", "is", "in" or "not" but found "="/],
    ['Status == ', 1, 11, /expected a value but found end of input/],
    ['Status == "running" and', 1, 24, /but found end of input/],
    ['(Status == "running"', 1, 21, /expected one of "and", "or" or "\)" but found end of input/],
    ['Status == "running")', 1, 20, /expected one of "and", "or" or end of input but found "\)"/],
    ['Status == "running" foo', 1, 21, /expected one of "and", "or" or end of input but found "foo"/],
    ['Status == "unterminated', 1, 11, /unterminated string literal/],
    ['Status == `unterminated', 1, 11, /unterminated string literal/],
    ['Status == "a\nb"', 1, 13, /newline in string literal/],
    ['Priority == 5abc', 1, 13, /invalid number literal "5a"/],
    ['Meta["x" == 1', 1, 10, /expected "\]" but found "=="/],
    ['Meta[x] == 1', 1, 6, /expected a quoted key/],
    ['Meta. == 1', 1, 6, /a field name or index after "\."/],
    ['Name matches "[a-"', 1, 14, /invalid regular expression "\[a-"/],
    ['Name matches "(?<=x)y"', 1, 14, /invalid regular expression/],
    ['Name == "\\q"', 1, 10, /invalid escape \\q/],
    ['Name == "\\u12"', 1, 10, /expected 4 hexadecimal digits/],
    ['"running" == Status', 1, 11, /expected one of "in" or "not" but found "=="/],
    ['"x" in "y"', 1, 8, /expected a selector/],
    ['Status is blank', 1, 11, /expected one of "not", "empty" or "nil" but found "blank"/],
    ['any Tags as { t == 1 }', 1, 13, /an identifier/],
    ['any Tags as i, i { i == 1 }', 1, 13, /"i" cannot name both the index and the value/],
    ['any Tags as t { t == 1 ', 1, 24, /"\}"/],
    ['Status == "running"\n  and Prio = 1', 2, 12, /found "="/],
    ['', 1, 1, /found end of input/],
    ['== "x"', 1, 1, /found "=="/],
  ];
  for (const [expr, line, column, detail] of cases) {
    test(JSON.stringify(expr), () => {
      assert.throws(
        () => compileFilter(expr),
        (err: unknown) => {
          assert.ok(err instanceof FilterError, String(err));
          assert.equal(err.kind, 'parse');
          assert.equal(err.status, 400);
          assert.match(err.detail, detail);
          assert.deepEqual([err.line, err.column], [line, column], err.message);
          return true;
        },
      );
    });
  }

  test('the message names the position and points at it with a caret', () => {
    assert.throws(() => compileFilter('Status = "running"'), {
      message: 'failed to read filter expression: 1:8: expected one of "==", "!=", "contains", "matches", "is", "in" or "not" but found "="\n    Status = "running"\n           ^',
    });
  });

  test('hostile nesting is refused, not a stack overflow', () => {
    const deep = '('.repeat(5000) + 'a == 1' + ')'.repeat(5000);
    assert.throws(() => compileFilter(deep), /nests more than 100 levels/);
    const nots = 'not '.repeat(5000) + 'a == 1';
    assert.throws(() => compileFilter(nots), /nests more than 100 levels/);
    assert.doesNotThrow(() => compileFilter('('.repeat(50) + 'a == 1' + ')'.repeat(50)));
  });

  test('a long flat chain of or parses without deep recursion', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `ID == "j${i}"`).join(' or ');
    assert.equal(compileFilter(chain).matches({ ID: 'j4999' }), true);
  });
});
