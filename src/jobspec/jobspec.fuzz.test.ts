// Fuzzing the whole jobspec pipeline: thousands of seeded mutations of the corpus (deleted,
// inserted, duplicated and swapped text) through parse → canonicalize → validate never throw,
// never hang, and always yield either a job or positioned errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { canonicalizeJob, jobWarnings, parseJobFile, validateJob } from './index.js';

const dir = path.resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'jobspec');
const corpus = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.nomad.hcl'))
  .sort()
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

/** mulberry32: a small seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['{', '}', '"', '=', '${', '}}', '%{', '\n', ' ', '[', ']', ',', 'task "x" {', 'count = ', '"30s"', '-1', '1e9', 'var.x', 'local.y', 'dynamic "port" {', '<<EOH\n', 'EOH\n', '#', '//', '/*', '*/', 'null', 'true', '(', ')', '...', '?', ':', 'for x in', '=>'];

function mutate(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = Math.floor(r() * 5);
    if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 20));
    else if (op === 1) s = s.slice(0, at) + (SNIPPETS[Math.floor(r() * SNIPPETS.length)] ?? '') + s.slice(at);
    else if (op === 2) {
      const lines = s.split('\n');
      const li = Math.floor(r() * lines.length);
      lines.splice(li, 0, lines[li] ?? '');
      s = lines.join('\n');
    } else if (op === 3) {
      const lines = s.split('\n');
      const a = Math.floor(r() * lines.length);
      const b = Math.floor(r() * lines.length);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      s = lines.join('\n');
    } else s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at);
  }
  return s;
}

test('mutated job files never crash or hang and always give a job or positioned errors', () => {
  const r = rng(0x5eed);
  const iterations = Number(process.env['JOBSPEC_FUZZ_ITERATIONS'] ?? 3000);
  let jobs = 0;
  for (let i = 0; i < iterations; i++) {
    const src = corpus[i % corpus.length] ?? '';
    const text = mutate(src, r);
    const start = performance.now();
    let out: ReturnType<typeof parseJobFile>;
    try {
      out = parseJobFile(text, 'fuzz.nomad.hcl', { allowFS: false, baseDir: '/nonexistent', env: {}, now: () => new Date(0) });
      if (out.job !== undefined) {
        const job = canonicalizeJob(out.job);
        validateJob(job);
        jobWarnings(job);
        assert.deepEqual(canonicalizeJob(job), job, 'canonicalization is idempotent');
        jobs++;
      }
    } catch (e) {
      assert.fail(`iteration ${i} threw ${e instanceof Error ? e.stack : String(e)}\n--- input ---\n${text}`);
    }
    assert.ok(performance.now() - start < 2000, `iteration ${i} took too long`);
    if (out.job === undefined) {
      const errors = out.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0, `iteration ${i}: no job and no error\n${text}`);
      for (const d of errors) assert.ok(d.subject !== undefined, `iteration ${i}: unpositioned error "${d.summary}: ${d.detail}"\n${text}`);
    }
  }
  assert.ok(jobs > 0 && jobs < iterations, `some mutants parse (${jobs}/${iterations})`);
});
