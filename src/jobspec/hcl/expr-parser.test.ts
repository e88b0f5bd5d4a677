import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expression } from './ast.js';
import { parseExpression } from './parser.js';
import { rangeText } from './pos.js';

function parse(src: string): Expression {
  const r = parseExpression(src, 'e.hcl');
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.expr);
  return r.expr;
}
/** A compact S-expression of the tree, to assert shape and precedence. */
function show(e: Expression): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'traversal':
      return e.text;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'conditional':
      return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'paren':
      return show(e.inner);
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'tuple':
      return `[${e.items.map(show).join(', ')}]`;
    case 'object':
      return `{${e.items.map((i) => `${show(i.key)}=${show(i.value)}`).join(', ')}}`;
    case 'splat':
      return `splat${e.attrOnly ? '.' : '[]'}(${show(e.source)}; ${show(e.each)})`;
    case 'splatItem':
      return '*';
    case 'relative':
      return `${show(e.source)}${e.steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : `[${JSON.stringify(s.key)}]`)).join('')}`;
    case 'index':
      return `${show(e.collection)}[${show(e.key)}]`;
    case 'template':
      return `tpl(${e.parts.map((p) => (p.kind === 'lit' ? JSON.stringify(p.value) : p.kind === 'interp' ? show(p.expr) : p.kind)).join(' ')})`;
    case 'for':
      return `for(${e.keyVar ?? ''},${e.valVar} in ${show(e.collection)}: ${e.keyExpr ? `${show(e.keyExpr)} => ` : ''}${show(e.valExpr)}${e.group ? '...' : ''}${e.cond ? ` if ${show(e.cond)}` : ''})`;
    case 'bound':
      return show(e.inner);
  }
}

describe('expression parsing', () => {
  it('parses numbers in all forms', () => {
    assert.equal(show(parse('[1, 1.5, 1e3, 2.5E-2]')), '[1, 1.5, 1000, 0.025]');
  });
  it('follows HCL operator precedence', () => {
    assert.equal(show(parse('a || b && c == d + e * -f')), '(a || (b && (c == (d + (e * (-f))))))');
    assert.equal(show(parse('a > 1 == b < 2')), '((a > 1) == (b < 2))');
    assert.equal(show(parse('!a && b')), '((!a) && b)');
    assert.equal(show(parse('a - b - c')), '((a - b) - c)');
    assert.equal(show(parse('a ? b : c ? d : e')), '(a ? b : (c ? d : e))');
    assert.equal(show(parse('(a + b) * c')), '((a + b) * c)');
  });
  it('parses traversals with attribute, literal index and legacy index steps', () => {
    const e = parse('a.b["c"][0].1.2');
    assert.equal(e.kind, 'traversal');
    assert.equal(e.kind === 'traversal' ? e.steps.length : 0, 5);
    assert.equal(e.kind === 'traversal' ? e.text : '', 'a.b["c"][0].1.2');
  });
  it('parses dynamic index as an index expression', () => {
    assert.equal(show(parse('a[b + 1].c')), 'a[(b + 1)].c');
  });
  it('parses full and attribute-only splats', () => {
    assert.equal(show(parse('a[*].b[0].c')), 'splat[](a; *.b[0].c)');
    assert.equal(show(parse('a.*.b[0]')), 'splat.(a; *.b)[0]');
    assert.equal(show(parse('a[*]')), 'splat[](a; *)');
  });
  it('parses calls with expansion and newlines between arguments', () => {
    assert.equal(show(parse('f(a,\n  b...)')), 'f(a, b...)');
    assert.equal(show(parse('f()')), 'f()');
  });
  it('parses tuples with trailing commas and newlines', () => {
    assert.equal(show(parse('[\n  1,\n  2,\n]')), '[1, 2]');
  });
  it('parses objects with every key form and separator', () => {
    assert.equal(show(parse('{ a = 1, "b" = 2, (k) = 3, c: 4\n d = 5 }')), '{"a"=1, tpl("b")=2, k=3, "c"=4, "d"=5}');
    assert.equal(show(parse('{}')), '{}');
  });
  it('parses for expressions', () => {
    assert.equal(show(parse('[for x in xs : f(x) if x > 0]')), 'for(,x in xs: f(x) if (x > 0))');
    assert.equal(show(parse('{for k, v in m : k => v...}')), 'for(k,v in m: k => v...)');
    assert.equal(show(parse('[\n for x in xs :\n x\n ]')), 'for(,x in xs: x)');
  });
  it('keeps ranges so callers can slice source text', () => {
    const src = 'foo(a.b, [1, 2])';
    const e = parse(src);
    assert.equal(e.kind, 'call');
    if (e.kind !== 'call') return;
    const bytes = new TextEncoder().encode(src);
    assert.equal(rangeText(bytes, e.args[0]?.range ?? e.range), 'a.b');
    assert.equal(rangeText(bytes, e.args[1]?.range ?? e.range), '[1, 2]');
    assert.equal(rangeText(bytes, e.nameRange), 'foo');
  });
  it('reports syntax errors with positions', () => {
    const cases: [string, string][] = [
      ['[1 2]', '1:4 Missing item separator'],
      ['f(a b)', '1:5 Missing argument separator'],
      ['{a = 1 b = 2}', '1:8 Missing attribute separator'],
      ['a ? b', '1:6 Missing false expression'],
      ['a.', '1:3 Invalid attribute name'],
      ['1 +', '1:4 Invalid expression'],
      ['[for x in y]', '1:12 Missing colon after the for expression collection'],
      ['a b', '1:3 Extra characters after expression'],
    ];
    for (const [src, want] of cases) {
      const d = parseExpression(src, 'e.hcl').diagnostics[0];
      assert.equal(`${d?.subject?.start.line}:${d?.subject?.start.column} ${d?.summary}`, want, src);
    }
  });
});
