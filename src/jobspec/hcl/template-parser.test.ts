import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expression } from './ast.js';
import { evaluate } from './evaluator.js';
import { parseHCL } from './parser.js';
import type { Value } from './value.js';

const fctx = { baseDir: '.', allowFS: false, now: () => new Date(0) };

function attr(src: string): { expr: Expression | undefined; errors: string[] } {
  const r = parseHCL(src, 't.hcl');
  const a = r.file.body.justAttributes().attributes['x'];
  return { expr: a?.expr, errors: r.diagnostics.map((d) => `${d.subject?.start.line}:${d.subject?.start.column} ${d.summary}`) };
}
function value(src: string, variables: Record<string, Value> = {}): Value {
  const { expr, errors } = attr(src);
  assert.deepEqual(errors, []);
  assert.ok(expr);
  const r = evaluate(expr, { variables, functions: {}, functionContext: fctx });
  assert.deepEqual(r.diagnostics, []);
  return r.value;
}

describe('quoted templates', () => {
  it('decodes escapes', () => {
    assert.equal(value('x = "a\\nb\\tc\\"d\\\\e\\r\\u00e9\\U0001F600"\n'), 'a\nb\tc"d\\e\r\u00e9\u{1F600}');
  });
  it('keeps $${ and %%{ as literal sequences', () => {
    assert.equal(value('x = "$${a} %%{b}"\n'), '${a} %{b}');
  });
  it('reports an invalid escape with its position', () => {
    assert.deepEqual(attr('x = "a\\qb"\n').errors, ['1:6 Invalid escape sequence']);
  });
  it('interpolates and converts numbers and bools', () => {
    assert.equal(value('x = "n=${n} b=${b}"\n', { n: 1.5, b: true }), 'n=1.5 b=true');
  });
  it('returns a lone interpolation unconverted', () => {
    assert.deepEqual(value('x = "${l}"\n', { l: [1, 2] }), [1, 2]);
  });
  it('applies strip markers on both sides', () => {
    assert.equal(value('x = "a  ${~ "b" ~}  c"\n'), 'abc');
    assert.equal(value('x = "a  ${~ "b"}  c"\n'), 'ab  c');
    assert.equal(value('x = "a  %{~ if true ~}  y  %{~ endif ~}  c"\n'), 'ayc');
  });
  it('evaluates if/else/endif directives', () => {
    assert.equal(value('x = "%{ if v }yes%{ else }no%{ endif }"\n', { v: false }), 'no');
    assert.equal(value('x = "%{ if v }yes%{ endif }"\n', { v: true }), 'yes');
  });
  it('evaluates for/endfor directives over lists and maps', () => {
    assert.equal(value('x = "%{ for v in l }[${v}]%{ endfor }"\n', { l: ['a', 'b'] }), '[a][b]');
    assert.equal(value('x = "%{ for k, v in m }${k}=${v};%{ endfor }"\n', { m: { b: 2, a: 1 } }), 'a=1;b=2;');
  });
  it('reports unterminated directives', () => {
    assert.deepEqual(attr('x = "%{ if true }a"\n').errors, ['1:6 Unterminated template directive']);
    assert.deepEqual(attr('x = "a%{ endif }"\n').errors, ['1:7 Unexpected "endif" directive']);
  });
});

describe('heredocs', () => {
  it('keeps text verbatim, with the newline before the closing marker', () => {
    assert.equal(value('x = <<EOT\n  hello\n    ${n}\nEOT\n', { n: 'w' }), '  hello\n    w\n');
  });
  it('strips the smallest common indentation of <<- heredocs, ignoring blank lines', () => {
    assert.equal(value('x = <<-EOT\n    a\n\n      b\n    c\n    EOT\n'), 'a\n\n  b\nc\n');
  });
  it('counts an interpolation at a line start as zero indentation', () => {
    assert.equal(value('x = <<-EOT\n  a\n${n}\n  EOT\n', { n: 'v' }), '  a\nv\n');
  });
  it('does not interpret backslash escapes', () => {
    assert.equal(value('x = <<EOT\na\\nb\nEOT\n'), 'a\\nb\n');
  });
  it('supports directives and an empty heredoc', () => {
    assert.equal(value('x = <<EOT\n%{ for v in l ~}\n- ${v}\n%{ endfor ~}\nEOT\n', { l: [1, 2] }), '- 1\n- 2\n');
    assert.equal(value('x = <<EOT\nEOT\n'), '');
  });
  it('reports a heredoc without a closing marker', () => {
    const { errors } = attr('x = <<EOT\nabc\n');
    assert.equal(errors[0]?.endsWith('Unterminated template string'), true);
  });
});
