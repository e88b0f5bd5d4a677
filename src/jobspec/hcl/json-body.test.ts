import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body, BodySchema } from './ast.js';
import { bodyToValue } from './body-value.js';
import { formatDiagnostic } from './diagnostics.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { parseHCLJSON } from './json-body.js';
import { parseHCL } from './parser.js';
import type { Value } from './value.js';

const ctx: EvalContext = { variables: { var: { img: 'redis' } }, functions: {}, functionContext: { baseDir: '.', allowFS: false, now: () => new Date(0) }, preserveUnknown: true };
const JOB: BodySchema = { attributes: [], blocks: [{ type: 'job', labelNames: ['name'] }] };
const JOB_BODY: BodySchema = { attributes: [{ name: 'datacenters' }], blocks: [{ type: 'group', labelNames: ['name'] }] };
const GROUP: BodySchema = { attributes: [{ name: 'count' }], blocks: [{ type: 'task', labelNames: ['name'] }] };
const TASK: BodySchema = { attributes: [{ name: 'driver', required: true }], blocks: [{ type: 'config', labelNames: [] }] };

/** Reads a job through the schemas, as the jobspec decoder will, into plain data. */
function decode(body: Body): Value {
  const out: Value[] = [];
  const one = body.content(JOB);
  assert.deepEqual(one.diagnostics, []);
  for (const job of one.content.blocks) {
    const jc = job.body.content(JOB_BODY);
    assert.deepEqual(jc.diagnostics, []);
    const dc = jc.content.attributes['datacenters'];
    const groups = jc.content.blocks.map((g) => {
      const gc = g.body.content(GROUP);
      assert.deepEqual(gc.diagnostics, []);
      const tasks = gc.content.blocks.map((t) => {
        const tc = t.body.content(TASK);
        assert.deepEqual(tc.diagnostics, []);
        const driver = tc.content.attributes['driver'];
        const config = tc.content.blocks[0];
        return { name: t.labels[0] ?? '', driver: driver ? evaluate(driver.expr, ctx).value : null, config: config ? bodyToValue(config.body, ctx).value : null };
      });
      const count = gc.content.attributes['count'];
      return { name: g.labels[0] ?? '', count: count ? evaluate(count.expr, ctx).value : null, tasks };
    });
    out.push({ name: job.labels[0] ?? '', datacenters: dc ? evaluate(dc.expr, ctx).value : null, groups });
  }
  return out;
}

describe('HCL JSON syntax', () => {
  it('reads a Nomad-like job the same as the native syntax', () => {
    const native = parseHCL(
      'job "x" {\n  datacenters = ["dc1"]\n  group "g" {\n    count = 2\n    task "t" {\n      driver = "docker"\n      config {\n        image = "${var.img}:7"\n        args = ["-p", "${NOMAD_PORT_db}"]\n      }\n    }\n  }\n}\n',
      'job.hcl',
    );
    const json = parseHCLJSON(
      JSON.stringify({ job: { x: { datacenters: ['dc1'], group: { g: { count: 2, task: { t: { driver: 'docker', config: { image: '${var.img}:7', args: ['-p', '${NOMAD_PORT_db}'] } } } } } } } }),
      'job.json',
    );
    assert.deepEqual(native.diagnostics, []);
    assert.deepEqual(json.diagnostics, []);
    const expected = [{ name: 'x', datacenters: ['dc1'], groups: [{ name: 'g', count: 2, tasks: [{ name: 't', driver: 'docker', config: { image: 'redis:7', args: ['-p', '${NOMAD_PORT_db}'] } }] }] }];
    assert.deepEqual(decode(native.file.body), expected);
    assert.deepEqual(decode(json.file.body), expected);
  });

  it('reads repeated blocks from arrays at the label and body levels', () => {
    const { file } = parseHCLJSON('{"job": [{"a": {"group": [{"g1": {}}, {"g2": [{"count": 1}, {"count": 2}]}]}}]}', 'j.json');
    const job = file.body.content(JOB).content.blocks[0];
    assert.ok(job);
    const groups = job.body.content(JOB_BODY).content.blocks;
    assert.deepEqual(
      groups.map((g) => g.labels[0]),
      ['g1', 'g2', 'g2'],
    );
  });

  it('ignores "//" comment properties in bodies and reports unknown ones with did-you-mean', () => {
    const { file } = parseHCLJSON('{"//": "note", "statik": 1}', 'p.json');
    const d = file.body.content({ attributes: [{ name: 'static' }], blocks: [] }).diagnostics;
    assert.deepEqual(
      d.map((x) => formatDiagnostic(x)),
      ['p.json:1:16: Extraneous JSON object property; no argument or block type is named "statik". Did you mean "static"?'],
    );
  });

  it('reports a missing required argument, duplicates and wrong block value types', () => {
    const { file } = parseHCLJSON('{"driver": "a", "driver": "b", "config": 1}', 't.json');
    const d = file.body.content(TASK).diagnostics.map((x) => x.summary);
    assert.deepEqual(d, ['Duplicate argument', 'Incorrect JSON value type']);
    assert.equal(parseHCLJSON('{}', 't.json').file.body.content(TASK).diagnostics[0]?.summary, 'Missing required argument');
  });

  it('positions template errors inside JSON strings', () => {
    const { file } = parseHCLJSON('{\n  "a": "x ${var.nope}"\n}', 't.json');
    const a = file.body.justAttributes().attributes['a'];
    assert.ok(a);
    const r = evaluate(a.expr, ctx);
    assert.equal(r.diagnostics[0]?.summary, 'Unsupported attribute');
    assert.deepEqual(r.diagnostics[0]?.subject?.start, { line: 2, column: 16, byte: 17 });
  });

  it('reports malformed JSON with a position', () => {
    const r = parseHCLJSON('{\n  "a": 1,\n}', 'bad.json');
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]?.subject?.start.line, 3);
    assert.deepEqual(r.file.body.justAttributes().attributes, {});
    assert.equal(parseHCLJSON('"s"', 'x.json').diagnostics[0]?.summary, 'Incorrect JSON value type');
    assert.equal(parseHCLJSON('[1]', 'x.json').file.body.content(TASK).diagnostics[0]?.summary, 'Incorrect JSON value type');
  });
});
