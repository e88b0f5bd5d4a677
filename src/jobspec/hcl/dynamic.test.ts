import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Body, BodySchema } from './ast.js';
import { expandDynamic } from './dynamic.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { parseHCL } from './parser.js';
import type { Value } from './value.js';

const ctx: EvalContext = {
  variables: { var: { ports: { http: 80, db: 5432 }, names: ['a', 'b'] } },
  functions: {},
  functionContext: { baseDir: '.', allowFS: false, now: () => new Date(0) },
  preserveUnknown: true,
};
const NETWORK: BodySchema = { attributes: [{ name: 'mode' }], blocks: [{ type: 'port', labelNames: ['label'] }] };
const PORT: BodySchema = { attributes: [{ name: 'static' }, { name: 'to' }], blocks: [{ type: 'check', labelNames: [] }] };

function body(src: string): Body {
  const r = parseHCL(src, 'd.hcl');
  assert.deepEqual(r.diagnostics, []);
  return expandDynamic(r.file.body, ctx);
}
function attrs(b: Body, schema: BodySchema): Record<string, Value> {
  const c = b.content(schema);
  assert.deepEqual(c.diagnostics, []);
  const out: Record<string, Value> = {};
  for (const [k, a] of Object.entries(c.content.attributes)) out[k] = evaluate(a.expr, ctx).value;
  return out;
}

describe('expandDynamic', () => {
  it('expands a dynamic block per element, in place among static blocks', () => {
    const b = body('port "first" {\n  static = 1\n}\ndynamic "port" {\n  for_each = var.ports\n  labels = [port.key]\n  content {\n    static = port.value\n    to = "${port.key}-${NOMAD_ALLOC_INDEX}"\n  }\n}\nmode = "bridge"\n');
    const c = b.content(NETWORK);
    assert.deepEqual(c.diagnostics, []);
    assert.deepEqual(
      c.content.blocks.map((x) => [x.labels[0], attrs(x.body, PORT)]),
      [
        ['first', { static: 1 }],
        ['db', { static: 5432, to: 'db-${NOMAD_ALLOC_INDEX}' }],
        ['http', { static: 80, to: 'http-${NOMAD_ALLOC_INDEX}' }],
      ],
    );
  });

  it('supports a custom iterator and nested dynamic blocks that see outer iterators', () => {
    const b = body(
      'dynamic "port" {\n  for_each = var.names\n  iterator = p\n  labels = [p.value]\n  content {\n    static = p.key\n    dynamic "check" {\n      for_each = [10, 20]\n      content {\n        to = "${p.value}${check.value}"\n      }\n    }\n  }\n}\n',
    );
    const blocks = b.content(NETWORK).content.blocks;
    assert.deepEqual(
      blocks.map((x) => x.labels[0]),
      ['a', 'b'],
    );
    const second = blocks[1];
    assert.ok(second);
    const checks = second.body.content(PORT).content.blocks.map((c) => attrs(c.body, { attributes: [{ name: 'to' }], blocks: [] }));
    assert.deepEqual(checks, [{ to: 'b10' }, { to: 'b20' }]);
    assert.deepEqual(attrs(second.body, PORT), { static: 1 });
  });

  it('reports dynamic blocks for block types the schema does not have', () => {
    const c = body('dynamic "prot" {\n  for_each = []\n  content {}\n}\n').content(NETWORK);
    assert.equal(c.diagnostics[0]?.summary, 'Unsupported block type');
    assert.match(c.diagnostics[0]?.detail ?? '', /Did you mean "port"\?/);
  });

  it('reports bad for_each values and missing content', () => {
    const bad = body('dynamic "port" {\n  for_each = "x"\n  labels = ["a"]\n  content {}\n}\n').content(NETWORK);
    assert.equal(bad.diagnostics[0]?.summary, 'Invalid dynamic for_each value');
    const missing = body('dynamic "port" {\n  for_each = [1]\n}\n').content(NETWORK);
    assert.equal(missing.diagnostics[0]?.summary, 'Missing content block');
    const labels = body('dynamic "port" {\n  for_each = [1]\n  content {}\n}\n').content(NETWORK);
    assert.equal(labels.diagnostics[0]?.summary, 'Incorrect number of labels');
  });

  it('leaves dynamic blocks of other types in the remaining body of partialContent', () => {
    const b = body('dynamic "port" {\n  for_each = [1]\n  labels = ["x"]\n  content {}\n}\nmode = "host"\n');
    const first = b.partialContent({ attributes: [{ name: 'mode' }], blocks: [] });
    assert.equal(first.content.blocks.length, 0);
    const rest = first.remain.content({ attributes: [], blocks: [{ type: 'port', labelNames: ['label'] }] });
    assert.deepEqual(rest.diagnostics, []);
    assert.deepEqual(
      rest.content.blocks.map((x) => x.labels),
      [['x']],
    );
  });
});
