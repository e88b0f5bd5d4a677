// Differential test against Go's own text/template (issue 8): the oracle (test/oracle/template,
// Go 1.19 from Debian's golang-go, standard library only) renders the committed corpus and
// thousands of generated templates, and Roam must produce the same output or the same error
// text. The oracle is required: without `go` this test fails and says how to get it.
// ROAM_UPDATE_TEMPLATE_CORPUS=1 rewrites the corpus expectations from the oracle.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CORPUS_FILE, loadCorpus, renderCase, type CorpusCase, type Outcome } from './testdata/corpus.js';
import { GENERATOR_DATA, mutatedTemplateArbitrary, templateArbitrary } from './testdata/generator.js';

const root = path.resolve(import.meta.dirname, '../..');
const oracle = path.join(root, 'dist/oracle/template-oracle');

function runOracle(cases: CorpusCase[]): Outcome[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-tmpl-'));
  try {
    const file = path.join(dir, 'cases.json');
    fs.writeFileSync(file, JSON.stringify(cases));
    return JSON.parse(execFileSync(oracle, [file], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Outcome[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function mismatches(cases: CorpusCase[], expected: Outcome[]): string[] {
  const out: string[] = [];
  cases.forEach((c, i) => {
    const roam = renderCase(c);
    if (JSON.stringify(roam) !== JSON.stringify(expected[i])) out.push(`${JSON.stringify(c.text)}\n  go:   ${JSON.stringify(expected[i])}\n  roam: ${JSON.stringify(roam)}`);
  });
  return out;
}

describe('text/template against Go (oracle)', () => {
  before(() => {
    const r = spawnSync(path.join(root, 'test/oracle/template/build.sh'), { encoding: 'utf8' });
    if (r.status !== 0) {
      assert.fail(`the Go template oracle could not be built (exit ${r.status}): ${r.stderr.trim()}\ninstall Debian's golang-go (scripts/setup.sh does) and rerun; this test never skips`);
    }
  });

  it('the committed corpus matches what Go renders now', () => {
    const corpus = loadCorpus();
    const go = runOracle(corpus);
    if (process.env.ROAM_UPDATE_TEMPLATE_CORPUS === '1') {
      const updated = corpus.map((c, i) => ({ ...c, expected: go[i] }));
      fs.writeFileSync(CORPUS_FILE, `[\n${updated.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
    }
    const stale = corpus.filter((c, i) => JSON.stringify(c.expected) !== JSON.stringify(go[i])).map((c) => c.text);
    assert.deepEqual(stale, [], 'expectations differ from the oracle; rerun with ROAM_UPDATE_TEMPLATE_CORPUS=1');
    assert.deepEqual(mismatches(corpus, go), []);
  });

  it('floats print as Go prints them, for every verb', () => {
    const floats = fc.sample(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer().map((i) => i / 1000)), { numRuns: 400, seed: 99 });
    const text = '{{ range . }}{{ printf "%v|%e|%E|%f|%.3f|%g|%.4g|%G|%8.2f|%-12.3e|%+.1f|% g|%010.4f" . . . . . . . . . . . . . }}\n{{ end }}';
    const cases = [{ text, data: floats }];
    assert.deepEqual(mismatches(cases, runOracle(cases)), []);
  });

  it('generated templates render as Go renders them', () => {
    const texts = [...fc.sample(templateArbitrary(), { numRuns: 1500, seed: 20240601 }), ...fc.sample(mutatedTemplateArbitrary(), { numRuns: 500, seed: 424242 })];
    const cases = texts.map((text) => ({ text, data: GENERATOR_DATA }));
    const bad = mismatches(cases, runOracle(cases));
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} generated templates differ`);
  });
});
