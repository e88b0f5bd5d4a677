import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHCLJSON } from './json-body.js';
import { parseExpression } from './parser.js';
import { typeExpression } from './typeexpr.js';

function t(src: string): ReturnType<typeof typeExpression> {
  const p = parseExpression(src, 'v.hcl');
  assert.ok(p.expr);
  return typeExpression(p.expr);
}

describe('typeExpression', () => {
  it('reads primitive and collection types', () => {
    assert.deepEqual(t('string').type, { kind: 'string' });
    assert.deepEqual(t('any').type, { kind: 'any' });
    assert.deepEqual(t('list(number)').type, { kind: 'list', elem: { kind: 'number' } });
    assert.deepEqual(t('map(set(bool))').type, { kind: 'map', elem: { kind: 'set', elem: { kind: 'bool' } } });
    assert.deepEqual(t('tuple([string, number])').type, { kind: 'tuple', elems: [{ kind: 'string' }, { kind: 'number' }] });
  });
  it('reads object types with optional attributes and defaults', () => {
    assert.deepEqual(t('object({ a = string, b = optional(number, 3), c = optional(list(string)) })').type, {
      kind: 'object',
      attrs: {
        a: { type: { kind: 'string' }, optional: false },
        b: { type: { kind: 'number' }, optional: true, default: 3 },
        c: { type: { kind: 'list', elem: { kind: 'string' } }, optional: true },
      },
    });
  });
  it('reports invalid types with positions and suggestions', () => {
    const d = t('list(strng)').diagnostics[0];
    assert.equal(`${d?.subject?.start.column} ${d?.summary}; ${d?.detail}`, '6 Invalid type specification; The keyword "strng" is not a valid type specification. Did you mean "string"?');
    assert.match(t('list').diagnostics[0]?.detail ?? '', /requires one argument/);
    assert.match(t('optional(string)').diagnostics[0]?.detail ?? '', /only as a modifier/);
    assert.match(t('"string"').diagnostics[0]?.detail ?? '', /primitive type keyword/);
  });
  it('reads types written as JSON strings', () => {
    const { file } = parseHCLJSON('{"type": "map(string)"}', 'v.json');
    const a = file.body.justAttributes().attributes['type'];
    assert.ok(a);
    assert.deepEqual(typeExpression(a.expr).type, { kind: 'map', elem: { kind: 'string' } });
  });
});
