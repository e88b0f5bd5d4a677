import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression } from './parser.js';
import { exprAsKeyword, expressionTraversals } from './traversals.js';

function refs(src: string): string[] {
  const p = parseExpression(src, 't.hcl');
  assert.ok(p.expr);
  return expressionTraversals(p.expr).map((t) => t.text);
}

describe('expressionTraversals', () => {
  it('lists free references in source order', () => {
    assert.deepEqual(refs('"${local.a}-${var.b.c}" == upper(local.d[0])'), ['local.a', 'var.b.c', 'local.d[0]']);
  });
  it('excludes for-expression and template-for variables', () => {
    assert.deepEqual(refs('[for k, v in local.m : "${k}${v}${var.x}" if v != local.y]'), ['local.m', 'var.x', 'local.y']);
    assert.deepEqual(refs('"%{ for s in var.l }${s}${local.z}%{ endfor }"'), ['var.l', 'local.z']);
  });
  it('walks splats, indexes and conditionals', () => {
    assert.deepEqual(refs('a ? b[*].c : d[e]'), ['a', 'b', 'd', 'e']);
  });
});

describe('exprAsKeyword', () => {
  it('reads bare identifiers only', () => {
    const p = parseExpression('port', 't');
    assert.ok(p.expr);
    assert.equal(exprAsKeyword(p.expr), 'port');
    const q = parseExpression('a.b', 't');
    assert.ok(q.expr);
    assert.equal(exprAsKeyword(q.expr), undefined);
  });
});
