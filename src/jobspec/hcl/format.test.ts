import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDiagnostic, hasErrors } from './diagnostics.js';
import { formatHCL, formatHCLSource } from './format.js';
import { parseJobFile } from '../parse.js';
import { parseHCL } from './parser.js';

const fixtureDir = path.resolve(import.meta.dirname, '../../../test/fixtures');
const CORPUS = [
  ...fs.readdirSync(path.join(fixtureDir, 'jobspec')).filter((f) => f.endsWith('.nomad.hcl')).map((f) => path.join(fixtureDir, 'jobspec', f)),
  ...fs.readdirSync(path.join(fixtureDir, 'hcl')).filter((f) => f.endsWith('.hcl')).map((f) => path.join(fixtureDir, 'hcl', f)),
].sort();

/** What a job file means: the evaluated job (or the summaries of its errors, whose details name positions). */
function meaning(text: string, file: string): unknown {
  const r = parseJobFile(text, file, { baseDir: path.dirname(file), allowFS: true, now: () => new Date(0), env: {} });
  return JSON.parse(JSON.stringify({ job: r.job, errors: r.diagnostics.map((d) => d.summary) })) as unknown;
}

describe('formatHCL', () => {
  it('indents two spaces per level and aligns = in runs of one-line attributes', () => {
    const src = 'job "x" {\ndatacenters=["dc1"]\n      type = "batch"\n\ngroup "g" {\ncount=1\n}\n}\n';
    assert.equal(formatHCL(src), 'job "x" {\n  datacenters = ["dc1"]\n  type        = "batch"\n\n  group "g" {\n    count = 1\n  }\n}\n');
  });

  it('does not align across a blank line, a comment line, or a multi-line value', () => {
    const src = 'a = 1\nbbbb = 2\n\ncc = 3\n# note\nd = 4\neeeee = {\nx = 1\n}\nf = 5\n';
    assert.equal(formatHCL(src), 'a    = 1\nbbbb = 2\n\ncc = 3\n# note\nd = 4\neeeee = {\n  x = 1\n}\nf = 5\n');
  });

  it('aligns trailing comments and keeps every comment style', () => {
    const src = 'a = 1 # one\nlonger = "x" // two\n/* block */\nc = 3 /* inline */\n';
    assert.equal(formatHCL(src), 'a      = 1   # one\nlonger = "x" // two\n/* block */\nc = 3 /* inline */\n');
  });

  it('normalises spaces between tokens as hclwrite does', () => {
    assert.equal(formatHCL('a = [ 1 , 2 ]\n'), 'a = [1, 2]\n');
    assert.equal(formatHCL('a = { b = 1 }\n'), 'a = { b = 1 }\n');
    assert.equal(formatHCL('a = {}\n'), 'a = {}\n');
    assert.equal(formatHCL('a = f( x , y... )\n'), 'a = f(x, y...)\n');
    assert.equal(formatHCL('a = var . b [ 0 ] . c\n'), 'a = var.b[0].c\n');
    assert.equal(formatHCL('a = - 1 + - b * 2 - 3\n'), 'a = -1 + -b * 2 - 3\n');
    assert.equal(formatHCL('a = ! b && c\n'), 'a = !b && c\n');
    assert.equal(formatHCL('a = [for x in [1] : x if x>0]\n'), 'a = [for x in [1] : x if x > 0]\n');
    assert.equal(formatHCL('a = { for k,v in m : k=>v... }\n'), 'a = { for k, v in m : k => v... }\n');
    assert.equal(formatHCL('a = "${ x }-%{ if y }z%{ endif }"\n'), 'a = "${x}-%{if y}z%{endif}"\n');
    assert.equal(formatHCL('a = x[*].y\n'), 'a = x[*].y\n');
  });

  it('leaves heredoc bodies and their closing marker as written', () => {
    const src = 'task {\ndata = <<-EOT\n    keep   this   \n  EOT\n}\n';
    assert.equal(formatHCL(src), 'task {\n  data = <<-EOT\n    keep   this   \n  EOT\n}\n');
  });

  it('removes trailing spaces on lines and keeps blank lines and the final newline as they are', () => {
    assert.equal(formatHCL('a = 1   \n\n\n\nb = 2\t\n'), 'a = 1\n\n\n\nb = 2\n');
    assert.equal(formatHCL('a = 1'), 'a = 1');
  });

  it('keeps CRLF line endings', () => {
    assert.equal(formatHCL('a=1\r\nbb=2\r\n'), 'a  = 1\r\nbb = 2\r\n');
  });

  it('aligns by characters, not bytes, around non-ASCII names', () => {
    assert.equal(formatHCL('café = 1\nab = 2\n'), 'café = 1\nab   = 2\n');
  });

  it('is idempotent and keeps the meaning of every corpus file', () => {
    for (const file of CORPUS) {
      const src = fs.readFileSync(file, 'utf8');
      const once = formatHCL(src);
      assert.equal(formatHCL(once), once, `${file} is not stable under a second format`);
      if (file.endsWith('.nomad.hcl')) assert.deepEqual(meaning(once, file), meaning(src, file), file);
    }
  });

  it('keeps the meaning of mutated job files that parse', () => {
    const jobs = CORPUS.filter((f) => f.endsWith('.nomad.hcl')).map((f) => [f, fs.readFileSync(f, 'utf8')] as const);
    const snippets = [' ', '  ', '\t', '\n', '\n\n', '# c\n', '/* c */', ' // c\n'];
    let checked = 0;
    fc.assert(
      fc.property(fc.nat(jobs.length - 1), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 6 }), (which, edits) => {
        const [file, original] = jobs[which] ?? ['', ''];
        let src = original;
        for (const [at, snippet] of edits) {
          const i = Math.floor(at * src.length);
          src = src.slice(0, i) + snippet + src.slice(i);
        }
        if (hasErrors(parseHCL(src, file).diagnostics)) return;
        checked++;
        const out = formatHCL(src);
        assert.equal(formatHCL(out), out);
        assert.deepEqual(meaning(out, file), meaning(src, file));
      }),
      { seed: 0xf0, numRuns: Number(process.env['FMT_FUZZ_RUNS'] ?? 300) },
    );
    assert.ok(checked > 30, `only ${checked} mutations parsed`);
  });
});

describe('formatHCLSource', () => {
  it('refuses a file that does not parse, with a positioned diagnostic', () => {
    const src = 'job "x" {\n  count = \n}\n';
    const r = formatHCLSource(src, 'bad.nomad.hcl');
    assert.equal(r.formatted, undefined);
    const first = r.diagnostics[0];
    assert.ok(first);
    assert.match(formatDiagnostic(first, src), /^bad\.nomad\.hcl:2:\d+: /);
  });
});
