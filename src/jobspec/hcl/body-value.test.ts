import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body } from './ast.js';
import { bodyToValue } from './body-value.js';
import type { EvalContext } from './evaluator.js';
import { parseHCLJSON } from './json-body.js';
import { parseHCL } from './parser.js';

const ctx: EvalContext = { variables: {}, functions: {}, functionContext: { baseDir: '.', allowFS: false, now: () => new Date(0) }, preserveUnknown: true };

function config(src: string): Body {
  const r = parseHCL(`config {\n${src}\n}\n`, 'c.hcl');
  assert.deepEqual(r.diagnostics, []);
  const b = r.file.body.content({ attributes: [], blocks: [{ type: 'config', labelNames: [] }] }).content.blocks[0];
  assert.ok(b);
  return b.body;
}

describe('bodyToValue (Nomad BlocksAsAttrs)', () => {
  it('turns nested blocks into lists of maps', () => {
    const v = bodyToValue(config('image = "redis"\nport_map {\n  http = 80\n}'), ctx);
    assert.deepEqual(v.diagnostics, []);
    assert.deepEqual(v.value, { image: 'redis', port_map: [{ http: 80 }] });
  });
  it('collects repeated blocks and nests labels as one-element lists', () => {
    const v = bodyToValue(config('mount "x" {\n  a = 1\n}\nmount "y" "z" {\n  b = 2\n}\nrep {\n  a = 1\n}\nrep {\n  b = 2\n}'), ctx);
    assert.deepEqual(v.value, { mount: [{ x: [{ a: 1 }] }, { y: [{ z: [{ b: 2 }] }] }], rep: [{ a: 1 }, { b: 2 }] });
  });
  it('wraps object-literal arguments in a one-element list, as Nomad does for HCL 1 compatibility', () => {
    const v = bodyToValue(config('labels = { a = "b" }\nlist = [1, { k = "v" }]\nouter {\n  inner = { K = "V" }\n}'), ctx);
    assert.deepEqual(v.value, { labels: [{ a: 'b' }], list: [1, { k: 'v' }], outer: [{ inner: [{ K: 'V' }] }] });
  });
  it('keeps runtime interpolations verbatim', () => {
    assert.deepEqual(bodyToValue(config('args = ["${NOMAD_TASK_DIR}/x"]'), ctx).value, { args: ['${NOMAD_TASK_DIR}/x'] });
  });
  it('reads JSON config objects as data unchanged', () => {
    const { file } = parseHCLJSON('{"config": {"image": "redis", "port_map": [{"http": 80}]}}', 'c.json');
    const b = file.body.content({ attributes: [], blocks: [{ type: 'config', labelNames: [] }] }).content.blocks[0];
    assert.ok(b);
    assert.deepEqual(bodyToValue(b.body, ctx).value, { image: 'redis', port_map: [{ http: 80 }] });
  });
});
