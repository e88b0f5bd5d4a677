import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BodySchema } from './ast.js';
import { formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { parseHCL } from './parser.js';

function body(src: string): ReturnType<typeof parseHCL>['file']['body'] {
  const r = parseHCL(src, 'job.hcl');
  assert.deepEqual(r.diagnostics, []);
  return r.file.body;
}
const show = (ds: Diagnostic[]): string[] => ds.map((d) => formatDiagnostic(d));
const PORT: BodySchema = { attributes: [{ name: 'static' }, { name: 'to' }], blocks: [] };

describe('NativeBody.content', () => {
  it('reports unsupported arguments with did-you-mean', () => {
    assert.deepEqual(show(body('statik = 5000\n').content(PORT).diagnostics), ['job.hcl:1:1: Unsupported argument; an argument named "statik" is not expected here. Did you mean "static"?']);
  });
  it('reports unsupported block types with did-you-mean', () => {
    const schema: BodySchema = { attributes: [], blocks: [{ type: 'task', labelNames: ['name'] }] };
    assert.deepEqual(show(body('tsk "x" {\n}\n').content(schema).diagnostics), ['job.hcl:1:1: Unsupported block type; blocks of type "tsk" are not expected here. Did you mean "task"?']);
  });
  it('explains an argument written as a block and a block written as an argument', () => {
    const schema: BodySchema = { attributes: [{ name: 'meta' }], blocks: [{ type: 'network', labelNames: [] }] };
    assert.deepEqual(show(body('meta {\n}\nnetwork = 1\n').content(schema).diagnostics), [
      'job.hcl:3:1: Unsupported argument; an argument named "network" is not expected here. Did you mean to define a block of type "network"?',
      'job.hcl:1:1: Unsupported block type; blocks of type "meta" are not expected here. Did you mean to define argument "meta"? If so, use the equals sign to assign it a value.',
    ]);
  });
  it('reports a missing required argument at the body', () => {
    const b = body('job "x" {\n}\n').content({ attributes: [], blocks: [{ type: 'job', labelNames: ['name'] }] }).content.blocks[0];
    assert.ok(b);
    assert.deepEqual(show(b.body.content({ attributes: [{ name: 'driver', required: true }], blocks: [] }).diagnostics), [
      'job.hcl:1:9: Missing required argument; the argument "driver" is required, but no definition was found.',
    ]);
  });
  it('reports extraneous and missing labels', () => {
    const b = body('group "a" "b" {\n}\ntask {\n}\n');
    const d = b.content({ attributes: [], blocks: [{ type: 'group', labelNames: ['name'] }, { type: 'task', labelNames: ['name'] }] }).diagnostics;
    assert.deepEqual(show(d), [
      'job.hcl:1:11: Extraneous label for group; only 1 labels (name) are expected for group blocks.',
      'job.hcl:3:1: Missing name for task; all task blocks must have 1 labels (name).',
    ]);
  });
});

describe('NativeBody.partialContent and justAttributes', () => {
  it('returns the rest as a body that no longer has the consumed items', () => {
    const b = body('a = 1\nb = 2\nc {\n}\n');
    const first = b.partialContent({ attributes: [{ name: 'a' }], blocks: [] });
    assert.deepEqual(Object.keys(first.content.attributes), ['a']);
    const rest = first.remain.content({ attributes: [{ name: 'b' }], blocks: [{ type: 'c', labelNames: [] }] });
    assert.deepEqual(rest.diagnostics, []);
    assert.deepEqual(Object.keys(rest.content.attributes), ['b']);
    const again = first.remain.content({ attributes: [], blocks: [{ type: 'c', labelNames: [] }] });
    assert.equal(again.diagnostics[0]?.summary, 'Unsupported argument');
  });
  it('justAttributes reads maps and rejects blocks', () => {
    assert.equal(parseHCL('"x" = 2\n', 'f').diagnostics[0]?.summary, 'Argument or block definition required');
    assert.deepEqual(Object.keys(body('A = 1\nb = 2\n').justAttributes().attributes), ['A', 'b']);
    assert.deepEqual(show(body('a = 1\nb {\n}\n').justAttributes().diagnostics), ['job.hcl:2:1: Unexpected "b" block; blocks are not allowed here.']);
  });
});
