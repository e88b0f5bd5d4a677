// Differential tests against HashiCorp's own HCL (issue 3): the oracle (test/oracle/hcl, built from
// Debian's golang-go and golang-github-hashicorp-hcl-v2-dev) parses each file with hclsyntax and
// formats it with hclwrite.Format; Roam's parser must see the same structure (blocks, labels,
// attributes, constant values, the source text of expressions that reference variables or call
// functions) and Roam's formatter must produce byte-identical output, on the jobspec corpus, on
// syntax-stressing files, and on seeded mutations of both. The oracle is required: without it the
// test fails and says how to get it, it never skips.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Expression } from '../src/jobspec/hcl/ast.js';
import { hasErrors } from '../src/jobspec/hcl/diagnostics.js';
import { evaluate, type EvalContext } from '../src/jobspec/hcl/evaluator.js';
import { formatHCL } from '../src/jobspec/hcl/format.js';
import { NativeBody } from '../src/jobspec/hcl/native-body.js';
import { parseHCL } from '../src/jobspec/hcl/parser.js';
import { rangeText } from '../src/jobspec/hcl/pos.js';
import { expressionTraversals } from '../src/jobspec/hcl/traversals.js';
import type { Value } from '../src/jobspec/hcl/value.js';

const root = path.resolve(import.meta.dirname, '..');
const oracle = path.join(root, 'dist/oracle/hcl-oracle');

function fixtures(dir: string, suffix: string): string[] {
  const abs = path.join(root, dir);
  return fs
    .readdirSync(abs)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(abs, f));
}
const FILES = [...fixtures('test/fixtures/jobspec', '.nomad.hcl'), ...fixtures('test/fixtures/hcl', '.hcl')];

type AttrShape = { value: unknown } | { expr: string } | { error: string };
interface BodyShape {
  attributes: Record<string, AttrShape>;
  blocks: { type: string; labels: string[]; body: BodyShape }[];
}
type FileShape = { body: BodyShape } | { diagnostics: { summary: string; line: number; column: number }[] };

/** Runs the oracle on files (one process for all of them); its answer is keyed by file. */
function runOracle<T>(mode: 'hcl' | 'fmt', files: string[]): Record<string, T> {
  return JSON.parse(execFileSync(oracle, [mode, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Record<string, T>;
}

const CONSTANT_CTX: EvalContext = { variables: {}, functions: {}, functionContext: { baseDir: root, allowFS: false, now: () => new Date(0) } };

function callsFunction(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsFunction);
  if (typeof node !== 'object' || node === null) return false;
  if ((node as { kind?: unknown }).kind === 'call') return true;
  return Object.entries(node).some(([k, v]) => k !== 'range' && callsFunction(v));
}

/** Roam's view of an attribute, in the oracle's terms. */
function attrShape(expr: Expression, bytes: Uint8Array): AttrShape {
  if (expressionTraversals(expr).length > 0 || callsFunction(expr)) return { expr: rangeText(bytes, expr.range) };
  const r = evaluate(expr, CONSTANT_CTX);
  const err = r.diagnostics.find((d) => d.severity === 'error');
  return err === undefined ? { value: r.value } : { error: err.summary };
}

function bodyShape(body: NativeBody, bytes: Uint8Array): BodyShape {
  const attributes: Record<string, AttrShape> = {};
  for (const [name, attr] of body.attributes) attributes[name] = attrShape(attr.expr, bytes);
  return { attributes, blocks: body.blocks.map((b) => ({ type: b.type, labels: b.labels, body: bodyShape(b.body, bytes) })) };
}

function roamShape(file: string): FileShape {
  const parsed = parseHCL(fs.readFileSync(file, 'utf8'), file);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics.map((d) => ({ summary: d.summary, line: d.subject?.start.line ?? 0, column: d.subject?.start.column ?? 0 })) };
  assert.ok(parsed.file.body instanceof NativeBody);
  return { body: bodyShape(parsed.file.body, parsed.file.bytes) };
}

/** Numbers compare as float64 on both sides; everything else must match exactly. */
function normalize(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: Value) => x)) as unknown;
}

/** The first place two JSON-like values differ, as "path: roam … vs hcl …", or undefined when equal. */
function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${at}: roam ${JSON.stringify(a)} vs hcl ${JSON.stringify(b)}`;
}

function assertSameShape(got: FileShape, want: FileShape | undefined, what: string): void {
  const diff = firstDifference(normalize(got), normalize(want));
  assert.equal(diff, undefined, `${what}: ${diff ?? ''}`);
}

const SNIPPETS = ['{', '}', '"', '=', '${', '%{', '~}', '\n', '  ', '\t', '[', ']', ',', '(', ')', '#', '//', '/*', '*/', '<<EOT\n', 'EOT\n', '<<-EOT\n', '-', '!', '?', ':', '...', '=>', '.', '*', 'x = 1\n', 'b "l" {\n', 'é', '\r\n'];

/** Seeded edits (insert a snippet, delete a span, duplicate a line) of the fixture files. */
const mutation = fc.record({
  file: fc.nat(FILES.length - 1),
  edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), op: fc.constantFrom('insert', 'delete', 'dup'), snippet: fc.constantFrom(...SNIPPETS), len: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 3 }),
});

function applyMutation(m: { file: number; edits: { at: number; op: string; snippet: string; len: number }[] }, sources: readonly string[]): string {
  let s = sources[m.file] ?? '';
  for (const e of m.edits) {
    const at = Math.floor(e.at * s.length);
    if (e.op === 'insert') s = s.slice(0, at) + e.snippet + s.slice(at);
    else if (e.op === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
    else {
      const lineStart = s.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = s.indexOf('\n', at);
      const line = s.slice(lineStart, lineEnd === -1 ? s.length : lineEnd + 1);
      s = s.slice(0, lineStart) + line + s.slice(lineStart);
    }
  }
  return s;
}

describe('HCL differential tests against hashicorp/hcl (hclsyntax, hclwrite)', () => {
  let tmp = '';
  let mutants: string[] = [];

  before(() => {
    // Rebuilds the oracle when its source changed (a no-op when it is up to date or go is absent).
    execFileSync(path.join(root, 'test/oracle/build.sh'), { stdio: ['ignore', 'ignore', 'inherit'] });
    assert.ok(
      fs.existsSync(oracle),
      `the HCL oracle ${path.relative(root, oracle)} is missing: run scripts/setup.sh as root (it installs golang-go and golang-github-hashicorp-hcl-v2-dev), then test/oracle/build.sh`,
    );
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-hcl-oracle-'));
    const sources = FILES.map((f) => fs.readFileSync(f, 'utf8'));
    const samples = fc.sample(mutation, { seed: Number(process.env['HCL_ORACLE_SEED'] ?? 0x4c1), numRuns: Number(process.env['HCL_ORACLE_MUTATIONS'] ?? 400) });
    mutants = samples.map((m, i) => {
      const f = path.join(tmp, `mutant-${String(i).padStart(4, '0')}.hcl`);
      fs.writeFileSync(f, applyMutation(m, sources));
      return f;
    });
  });
  after(() => {
    if (tmp !== '' && process.env['HCL_ORACLE_KEEP'] === undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('covers the corpus and the syntax-stressing files', () => {
    assert.ok(FILES.filter((f) => f.includes('/jobspec/')).length >= 9);
    assert.ok(FILES.filter((f) => f.includes('/fixtures/hcl/')).length >= 7);
  });

  it('parses every corpus and syntax file to the same structure as hclsyntax', () => {
    const theirs = runOracle<FileShape>('hcl', FILES);
    for (const f of FILES) {
      const want = theirs[f];
      assert.ok(want !== undefined && 'body' in want, `${path.relative(root, f)} must parse with hclsyntax: ${JSON.stringify(want)}`);
      assertSameShape(roamShape(f), want, path.relative(root, f));
    }
  });

  it('formats every corpus and syntax file byte for byte as hclwrite.Format', () => {
    const theirs = runOracle<string>('fmt', FILES);
    for (const f of FILES) assert.equal(formatHCL(fs.readFileSync(f, 'utf8')), theirs[f], path.relative(root, f));
  });

  it('formats mutated files that parse byte for byte as hclwrite.Format', () => {
    const valid = mutants.filter((f) => !hasErrors(parseHCL(fs.readFileSync(f, 'utf8'), f).diagnostics));
    assert.ok(valid.length >= mutants.length / 10, `only ${valid.length} of ${mutants.length} mutants parse`);
    const theirs = runOracle<string>('fmt', valid);
    for (const f of valid) assert.equal(formatHCL(fs.readFileSync(f, 'utf8')), theirs[f], `${f}:\n${fs.readFileSync(f, 'utf8')}`);
  });

  it('accepts and rejects the same mutated files as hclsyntax, with the same structure when accepted', () => {
    const theirs = runOracle<FileShape>('hcl', mutants);
    for (const f of mutants) {
      const want = theirs[f];
      const got = roamShape(f);
      const src = fs.readFileSync(f, 'utf8');
      assert.equal('body' in got, want !== undefined && 'body' in want, `${f}: Roam ${'body' in got ? 'accepts' : 'rejects'} what hclsyntax does not:\n${JSON.stringify(got).slice(0, 400)}\n${JSON.stringify(want).slice(0, 400)}\n--- source\n${src}`);
      if ('body' in got) assertSameShape(got, want, `${f}:\n${src}`);
    }
  });
});
