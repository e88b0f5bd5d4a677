import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, beforeEach, describe, it } from 'node:test';
import type { CommandIO } from '../command.js';
import { fmtCommand } from './fmt.js';

const UGLY = 'job "x" {\ntype="batch"\n  datacenters = ["dc1"]\n}\n';
const PRETTY = 'job "x" {\n  type        = "batch"\n  datacenters = ["dc1"]\n}\n';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-fmt-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { out: (s) => (stdout += s), err: (s) => (stderr += s), env: {}, cwd: tmp, isTTY: false, stdin: Readable.from([stdin]) };
  const code = await fmtCommand.run(args, io);
  return { code, stdout, stderr };
}

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
}
const read = (rel: string): string => fs.readFileSync(path.join(tmp, rel), 'utf8');

describe('roam fmt', () => {
  beforeEach(() => {
    for (const e of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, e), { recursive: true, force: true });
  });

  it('formats the .nomad, .nomad.hcl and .hcl files of the current directory in place and lists them', async () => {
    write('a.nomad', UGLY);
    write('b.nomad.hcl', UGLY);
    write('c.hcl', PRETTY);
    write('d.txt', UGLY);
    write('sub/e.hcl', UGLY);
    const r = await run([]);
    assert.deepEqual(r, { code: 0, stdout: 'a.nomad\nb.nomad.hcl\n', stderr: '' });
    assert.equal(read('a.nomad'), PRETTY);
    assert.equal(read('b.nomad.hcl'), PRETTY);
    assert.equal(read('d.txt'), UGLY);
    assert.equal(read('sub/e.hcl'), UGLY, 'subdirectories need -recursive');
  });

  it('descends into subdirectories with -recursive', async () => {
    write('sub/deeper/e.hcl', UGLY);
    const r = await run(['-recursive', '.']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${path.join('sub', 'deeper', 'e.hcl')}\n`);
    assert.equal(read('sub/deeper/e.hcl'), PRETTY);
  });

  it('-check lists unformatted files, changes nothing and exits 1; 0 when all are formatted', async () => {
    write('ugly.hcl', UGLY);
    write('pretty.hcl', PRETTY);
    assert.deepEqual(await run(['-check']), { code: 1, stdout: 'ugly.hcl\n', stderr: '' });
    assert.equal(read('ugly.hcl'), UGLY);
    assert.deepEqual(await run(['-check', 'pretty.hcl']), { code: 0, stdout: '', stderr: '' });
  });

  it('-write=false -list=false prints the formatted text of a named file', async () => {
    write('job.nomad.hcl', UGLY);
    assert.deepEqual(await run(['-write=false', '-list=false', 'job.nomad.hcl']), { code: 0, stdout: PRETTY, stderr: '' });
    assert.equal(read('job.nomad.hcl'), UGLY);
  });

  it('"-" formats stdin to stdout', async () => {
    assert.deepEqual(await run(['-'], UGLY), { code: 0, stdout: PRETTY, stderr: '' });
  });

  it('reports a syntax error with its position, leaves the file alone and exits 1', async () => {
    const bad = 'job "x" {\n  count = \n}\n';
    write('bad.hcl', bad);
    write('good.hcl', UGLY);
    const r = await run(['bad.hcl', 'good.hcl']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'bad.hcl:2:11: Invalid expression; expected the start of an expression, but found a newline.\n  2 |   count = \n    |           ^\n');
    assert.equal(r.stdout, 'good.hcl\n', 'the other files are still formatted');
    assert.equal(read('bad.hcl'), bad);
    assert.equal(read('good.hcl'), PRETTY);
  });

  it('reports a path that does not exist', async () => {
    const r = await run(['missing.hcl']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'No file or directory at missing.hcl\n');
  });

  it('-verbose names each file it processes', async () => {
    write('a.hcl', PRETTY);
    assert.equal((await run(['-verbose'])).stdout, 'Processing file: a.hcl\n');
  });
});
