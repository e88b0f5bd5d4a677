import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body, BodySchema } from './ast.js';
import { formatDiagnostic } from './diagnostics.js';
import { parseHCL } from './parser.js';
import { rangeText } from './pos.js';

const ANY: BodySchema = { attributes: [], blocks: [] };
function schema(attrs: string[], blocks: [string, string[]][] = []): BodySchema {
  return { attributes: attrs.map((name) => ({ name })), blocks: blocks.map(([type, labelNames]) => ({ type, labelNames })) };
}
function errors(src: string): string[] {
  return parseHCL(src, 'f.hcl').diagnostics.map((d) => formatDiagnostic(d));
}

describe('parseHCL bodies', () => {
  const src = `# a job
job "example" {
  datacenters = ["dc1"] // trailing
  group cache {
    count = 1
    /* block comment */
    task "redis" { driver = "docker" }
    network {}
  }
}
`;
  const { file, diagnostics } = parseHCL(src, 'job.hcl');

  it('parses without diagnostics', () => {
    assert.deepEqual(diagnostics, []);
  });

  it('reads blocks with quoted and identifier labels, and one-line blocks', () => {
    const job = file.body.content(schema([], [['job', ['name']]])).content.blocks[0];
    assert.ok(job);
    assert.deepEqual(job.labels, ['example']);
    const jc = job.body.content(schema(['datacenters'], [['group', ['name']]]));
    assert.deepEqual(jc.diagnostics, []);
    const group = jc.content.blocks[0];
    assert.deepEqual(group?.labels, ['cache']);
    const gc = group?.body.content(schema(['count'], [['task', ['name']], ['network', []]]));
    assert.deepEqual(gc?.diagnostics, []);
    assert.deepEqual(
      gc?.content.blocks.map((b) => [b.type, b.labels]),
      [
        ['task', ['redis']],
        ['network', []],
      ],
    );
    const task = gc?.content.blocks[0]?.body.content(schema(['driver']));
    assert.ok(task?.content.attributes['driver']);
  });

  it('records source ranges on blocks, labels, attributes and expressions', () => {
    const job = file.body.content(schema([], [['job', ['name']]])).content.blocks[0];
    assert.ok(job);
    assert.deepEqual(job.typeRange.start, { line: 2, column: 1, byte: 8 });
    assert.equal(job.labelRanges[0]?.start.column, 5);
    assert.equal(rangeText(file.bytes, job.defRange), 'job "example" {');
    const dc = job.body.partialContent(schema(['datacenters'])).content.attributes['datacenters'];
    assert.ok(dc);
    assert.equal(rangeText(file.bytes, dc.nameRange), 'datacenters');
    assert.equal(rangeText(file.bytes, dc.expr.range), '["dc1"]');
    assert.equal(rangeText(file.bytes, dc.range), 'datacenters = ["dc1"]');
    assert.deepEqual(dc.expr.range.start, { line: 3, column: 17, byte: 40 });
  });

  it('keeps attributes in source order', () => {
    const body: Body = parseHCL('b = 1\na = 2\nc = 3\n', 'f').file.body;
    assert.deepEqual(Object.keys(body.justAttributes().attributes), ['b', 'a', 'c']);
  });

  it('accepts a file without a trailing newline and an empty file', () => {
    assert.deepEqual(parseHCL('a = 1', 'f').diagnostics, []);
    assert.deepEqual(parseHCL('', 'f').diagnostics, []);
    assert.deepEqual(parseHCL('a {\n}', 'f').diagnostics, []);
  });

  it('parses CRLF line endings', () => {
    const r = parseHCL('a = 1\r\nb {\r\n  c = "x"\r\n}\r\n', 'f');
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.file.body.content(schema(['a'], [['b', []]])).content.blocks[0]);
  });

  it('ANY schema reports everything as unsupported', () => {
    const { diagnostics: d } = parseHCL('a = 1\n', 'f').file.body.content(ANY);
    assert.equal(d[0]?.summary, 'Unsupported argument');
  });
});

describe('parseHCL errors', () => {
  it('reports a redefined attribute with the first definition', () => {
    assert.deepEqual(errors('a = 1\na = 2\n'), ['f.hcl:2:1: Attribute redefined; the argument "a" was already set at f.hcl:1,1-2. Each argument may be set only once.']);
  });
  it('reports an unclosed block at its opening brace', () => {
    assert.deepEqual(errors('job "x" {\n  a = 1\n'), [
      'f.hcl:1:9: Unclosed configuration block; there is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
    ]);
  });
  it('reports a missing newline after an argument', () => {
    const e = errors('a = 1 b = 2\n');
    assert.equal(e.length, 1);
    assert.match(e[0] ?? '', /^f\.hcl:1:7: Missing newline after argument; an argument definition must end with a newline/);
  });
  it('reports an invalid expression with what was found', () => {
    assert.deepEqual(errors('a = \n'), ['f.hcl:1:5: Invalid expression; expected the start of an expression, but found a newline.']);
    assert.deepEqual(errors('a = )\n'), ['f.hcl:1:5: Invalid expression; expected the start of an expression, but found ")".']);
  });
  it('reports an unterminated string', () => {
    const e = errors('a = "abc\nb = 1\n');
    assert.match(e[0] ?? '', /^f\.hcl:1:9: Unterminated template string/);
  });
  it('reports a missing block brace', () => {
    assert.match(errors('job "x" = 1\n')[0] ?? '', /Invalid block definition/);
  });
  it('recovers at the next line so later lines still parse', () => {
    const r = parseHCL('a = [1,\nb = 2\nc = 3\n', 'f');
    assert.ok(r.diagnostics.length >= 1);
    assert.ok(r.file.body.justAttributes().attributes['c']);
  });
  it('reports template sequences in block labels', () => {
    assert.match(errors('a "${x}" {\n}\n')[0] ?? '', /Invalid block label/);
  });
  it('reports an unexpected closing brace at top level', () => {
    assert.match(errors('}\n')[0] ?? '', /Argument or block definition required/);
  });
  it('reports a colon used instead of equals in a body', () => {
    assert.match(errors('a: 1\n')[0] ?? '', /use the equals sign/);
  });
  it('rejects a nested block in a one-line block', () => {
    assert.match(errors('a { b {} }\n')[0] ?? '', /Invalid single-argument block definition/);
  });
  it('limits nesting depth instead of overflowing the stack', () => {
    const deep = `a = ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assert.match(errors(deep)[0] ?? '', /Nesting too deep/);
  });
});
