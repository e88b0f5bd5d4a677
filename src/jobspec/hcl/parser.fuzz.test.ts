// Robustness: thousands of seeded mutations of realistic job files must parse (and evaluate)
// without throwing or hanging, and every error must point at a position.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Body } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { parseHCLJSON } from './json-body.js';
import { parseHCL } from './parser.js';

const JOBS = [
  `variable "image" {
  type    = string
  default = "redis:7"
}
locals {
  ports = { http = 8080, db = 5432 }
}
job "pytechco" {
  datacenters = ["dc1"]
  type        = "service"
  meta = {
    owner = "team-\${var.image}"
  }
  group "web" {
    count = 2
    network {
      dynamic "port" {
        for_each = local.ports
        labels   = [port.key]
        content {
          static = port.value
        }
      }
    }
    task "server" {
      driver = "docker"
      config {
        image = var.image
        args  = ["-p", "\${NOMAD_PORT_http}", "--name=\${node.unique.name}"]
        port_map {
          http = 80
        }
      }
      template {
        data = <<-EOT
          addr = {{ env "NOMAD_IP_http" }}
          %{ for k, v in local.ports ~}
          \${k} = \${v}
          %{ endfor ~}
        EOT
        destination = "local/app.conf"
      }
      env {
        URL = "http://\${NOMAD_IP_http}:\${NOMAD_PORT_http}/x"
      }
      resources {
        cpu    = 100 * 2
        memory = var.image == "x" ? 256 : 512
      }
    }
  }
}
`,
  `job "batch" {
  type = "batch"
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }
  group "g" {
    task "t" {
      driver = "exec"
      config { command = "/bin/echo" }
      artifact {
        source = "https://example.com/\${NOMAD_META_budget}.tgz"
      }
      service {
        tags = [for t in ["a", "b"] : upper(t) if t != "c"]
        check {
          type     = "http"
          path     = "/health"
          interval = "10s"
        }
      }
    }
  }
}
`,
];
const JSON_JOB = JSON.stringify({ job: { x: { datacenters: ['dc1'], group: { g: { count: 2, task: { t: { driver: 'docker', config: { image: '${var.x}', args: ['a'] } } } } } } } }, null, 2);

/** mulberry32: a small seeded PRNG so every run mutates identically. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const NOISE = ['{', '}', '[', ']', '(', ')', '"', '$', '{', '%', '~', '<<EOT\n', '<<-EOT\n', 'EOT', '\n', '#', '/*', '*/', '\\', '=', ',', '.', '*', '...', '?', ':', '=>', 'for', 'in', 'if', 'é', '😀', '\t', ' ', '0', '1.5e', '"${', '}"'];

function mutate(src: string, rand: () => number): string {
  let s = src;
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 6);
    const noise = NOISE[Math.floor(rand() * NOISE.length)] ?? '';
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 5));
    else if (op === 1) s = s.slice(0, at) + noise + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + noise + s.slice(at + 1);
    else if (op === 3) s = s.slice(0, at);
    else if (op === 4) {
      const lines = s.split('\n');
      const l = Math.floor(rand() * lines.length);
      lines.splice(l, 0, lines[l] ?? '');
      s = lines.join('\n');
    } else {
      const lines = s.split('\n');
      lines.splice(Math.floor(rand() * lines.length), 1);
      s = lines.join('\n');
    }
  }
  return s;
}

const ctx: EvalContext = { variables: { var: { image: 'redis', x: 'y' }, local: { ports: { http: 1 } } }, functions: { upper: { params: ['s'], impl: ([s]) => String(s).toUpperCase() } }, functionContext: { baseDir: '.', allowFS: false, now: () => new Date(0) }, preserveUnknown: true };

/** Evaluates everything in a body, read as data, so the evaluator is exercised too. */
function exercise(body: Body, diags: Diagnostic[], depth = 0): void {
  const { attributes, diagnostics } = body.blocksAsAttributes();
  diags.push(...diagnostics);
  for (const a of Object.values(attributes)) diags.push(...evaluate(a.expr, ctx).diagnostics);
  if (depth > 3) return;
  const c = body.content({ attributes: [], blocks: [{ type: 'job', labelNames: ['name'] }, { type: 'group', labelNames: ['name'] }, { type: 'task', labelNames: ['name'] }] });
  for (const b of c.content.blocks) exercise(b.body, diags, depth + 1);
}

function check(src: string, json: boolean): void {
  const started = performance.now();
  const r = json ? parseHCLJSON(src, 'fuzz.json') : parseHCL(src, 'fuzz.hcl');
  const diags = [...r.diagnostics];
  exercise(r.file.body, diags);
  const ms = performance.now() - started;
  assert.ok(ms < 250, `took ${ms} ms for ${JSON.stringify(src)}`);
  assert.ok(r.file.body, 'a body is always returned');
  for (const d of r.diagnostics) assert.ok(d.subject, `parse diagnostic without position: ${d.summary}`);
  for (const d of diags) assert.ok(d.subject !== undefined && d.subject.start.line >= 1, `diagnostic without position: ${d.summary}`);
}

describe('parser fuzz', () => {
  it('starts from job files that parse and evaluate cleanly', () => {
    for (const job of JOBS) {
      const r = parseHCL(job, 'job.hcl');
      assert.deepEqual(r.diagnostics, []);
    }
    assert.deepEqual(parseHCLJSON(JSON_JOB, 'job.json').diagnostics, []);
  });

  it('survives 4000 seeded mutations of native-syntax job files', () => {
    const rand = prng(20240611);
    for (let i = 0; i < 4000; i++) {
      const base = JOBS[i % JOBS.length] ?? '';
      const src = mutate(base, rand);
      try {
        check(src, false);
      } catch (e) {
        assert.fail(`input #${i} ${JSON.stringify(src)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  });

  it('survives 1500 seeded mutations of a JSON job file', () => {
    const rand = prng(7);
    for (let i = 0; i < 1500; i++) {
      const src = mutate(JSON_JOB, rand);
      try {
        check(src, true);
      } catch (e) {
        assert.fail(`input #${i} ${JSON.stringify(src)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        check(s, false);
        check(s, true);
      }),
      { seed: 42, numRuns: 1500 },
    );
  });

  it('reports every mutated file that fails to parse with at least one positioned error', () => {
    const rand = prng(99);
    let failing = 0;
    for (let i = 0; i < 500; i++) {
      const r = parseHCL(mutate(JOBS[0] ?? '', rand), 'f.hcl');
      if (r.diagnostics.length > 0) {
        failing++;
        assert.ok(r.diagnostics.some((d) => d.severity === 'error' && d.subject !== undefined));
      }
    }
    assert.ok(failing > 100, `mutations should mostly break the file (got ${failing})`);
  });
});
