import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean, editDistance, errorDiag, formatDiagnostic, hasErrors } from './diagnostics.js';
import { formatRange, SourceMap } from './pos.js';

describe('positions', () => {
  it('maps offsets to 1-based line/column and UTF-8 bytes', () => {
    const m = new SourceMap('ab\ncé\nx', 'f.hcl');
    assert.deepEqual(m.pos(0), { line: 1, column: 1, byte: 0 });
    assert.deepEqual(m.pos(4), { line: 2, column: 2, byte: 4 });
    assert.deepEqual(m.pos(6), { line: 3, column: 1, byte: 7 });
  });
  it('counts columns in characters, not UTF-16 units', () => {
    const m = new SourceMap('😀x', 'f');
    assert.deepEqual(m.pos(2), { line: 1, column: 2, byte: 4 });
  });
  it('offsets positions of text that starts inside a file', () => {
    const m = new SourceMap('ab\nc', 'f', { line: 5, column: 10, byte: 100 });
    assert.deepEqual(m.pos(1), { line: 5, column: 11, byte: 101 });
    assert.deepEqual(m.pos(3), { line: 6, column: 1, byte: 103 });
  });
  it('formats ranges as HCL does', () => {
    const m = new SourceMap('abc = 1', 'f.hcl');
    assert.equal(formatRange(m.range(0, 3)), 'f.hcl:1,1-4');
  });
});

describe('formatDiagnostic', () => {
  it('renders file:line:col, summary, detail, source line and caret', () => {
    const src = 'job "x" {\n  group "g" {\n    task "t" {\n      statik = 5000\n    }\n  }\n}\n';
    const m = new SourceMap(src, 'pytechco.nomad.hcl');
    const start = src.indexOf('statik');
    const d = errorDiag('Unsupported argument', 'An argument named "statik" is not expected here. Did you mean "static"?', m.range(start, start + 6));
    assert.equal(
      formatDiagnostic(d, src),
      'pytechco.nomad.hcl:4:7: Unsupported argument; an argument named "statik" is not expected here. Did you mean "static"?\n' +
        '  4 |       statik = 5000\n' +
        '    |       ^^^^^^',
    );
  });
  it('renders without source or subject', () => {
    assert.equal(formatDiagnostic(errorDiag('Oops', 'JSON is bad.')), 'Oops; JSON is bad.');
  });
  it('hasErrors ignores warnings', () => {
    assert.equal(hasErrors([{ severity: 'warning', summary: 'w', detail: '' }]), false);
    assert.equal(hasErrors([errorDiag('e', '')]), true);
  });
});

describe('didYouMean', () => {
  it('suggests names within edit distance 2', () => {
    assert.equal(editDistance('statik', 'static'), 1);
    assert.equal(didYouMean('statik', ['to', 'static', 'host_network']), 'static');
    assert.equal(didYouMean('tsk', ['task', 'group']), 'task');
    assert.equal(didYouMean('zzzzzz', ['task', 'group']), undefined);
  });
});
