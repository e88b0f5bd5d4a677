import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scan } from './lexer.js';

function kinds(src: string): string[] {
  return scan(src).map((t) => (t.type === 'punct' ? (t.punct ?? '') : t.type === 'literal' || t.type === 'ident' || t.type === 'number' ? `${t.type}:${src.slice(t.start, t.end)}` : t.type));
}

describe('scan', () => {
  it('scans identifiers, numbers and operators', () => {
    assert.deepEqual(kinds('a-b = 1.5e3 >= x... => && ||'), ['ident:a-b', '=', 'number:1.5e3', '>=', 'ident:x', '...', '=>', '&&', '||', 'eof']);
  });
  it('skips all three comment styles but keeps newlines', () => {
    assert.deepEqual(kinds('a # one\nb // two\n/* three\n */ c'), ['ident:a', 'newline', 'ident:b', 'newline', 'ident:c', 'eof']);
  });
  it('scans quoted templates with interpolations and strip markers', () => {
    const toks = scan('"a ${~ x ~} b"');
    assert.deepEqual(
      toks.map((t) => t.type),
      ['oquote', 'literal', 'interp', 'ident', 'seqend', 'literal', 'cquote', 'eof'],
    );
    assert.equal(toks[2]?.strip, true);
    assert.equal(toks[4]?.strip, true);
  });
  it('keeps $${ and %%{ escapes inside literals', () => {
    assert.deepEqual(kinds('"$${a} %%{b}"'), ['oquote', 'literal:$${a} %%{b}', 'cquote', 'eof']);
  });
  it('does not end a string at an escaped quote', () => {
    assert.deepEqual(kinds('"a\\"b"'), ['oquote', 'literal:a\\"b', 'cquote', 'eof']);
  });
  it('tracks braces inside interpolations', () => {
    assert.deepEqual(kinds('"${ {a = 1} }"'), ['oquote', 'interp', '{', 'ident:a', '=', 'number:1', '}', 'seqend', 'cquote', 'eof']);
  });
  it('scans heredocs line by line and finds an indented closing marker', () => {
    const src = 'x = <<-EOT\n  a\n  ${b}\n  EOT\n';
    const toks = scan(src);
    assert.deepEqual(
      toks.map((t) => t.type),
      ['ident', 'punct', 'oheredoc', 'literal', 'literal', 'interp', 'ident', 'seqend', 'literal', 'cheredoc', 'newline', 'eof'],
    );
    assert.equal(toks[2]?.marker, 'EOT');
    assert.equal(toks[2]?.flush, true);
  });
  it('reports unknown characters as invalid tokens', () => {
    const toks = scan('a = @');
    assert.equal(toks[2]?.type, 'invalid');
  });
  it('reports an unterminated comment', () => {
    assert.equal(scan('/* x').at(0)?.type, 'invalid');
  });
});
