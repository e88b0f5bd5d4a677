// Crash safety of the sqlite backend: a child process commits numbered writes and is killed with
// SIGKILL mid-stream; every write it acknowledged must be in the file when it is reopened, the
// store must be internally consistent, and it must accept new writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteKv } from './sqlite.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const writer = path.join(here, 'sqlite-crash-writer.ts');

/** Run the writer until it has acknowledged `acks` writes, then SIGKILL it; returns the acks seen. */
async function runAndKill(file: string, acks: number): Promise<{ n: number; revision: number }[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: { n: number; revision: number }[] = [];
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  child.stdout.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const [n, revision] = line.split(' ').map(Number);
      if (n !== undefined && revision !== undefined) seen.push({ n, revision });
    }
    if (seen.length >= acks) child.kill('SIGKILL');
  });
  const signal = await exited;
  clearTimeout(deadline);
  assert.equal(signal, 'SIGKILL', `writer ended on its own: ${stderr}`);
  assert.ok(seen.length >= acks, `writer acknowledged only ${seen.length} writes: ${stderr}`);
  return seen;
}

void test('sqlite: every acknowledged write survives SIGKILL of the writing process', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-crash-'));
  const file = path.join(dir, 'state.db');
  try {
    for (const round of [1, 2]) {
      const acked = await runAndKill(file, 25);
      const last = acked.at(-1);
      assert.ok(last);
      const kv = openSqliteKv(file);
      try {
        const stored = Number((await kv.get('/crash/last'))?.value);
        assert.ok(stored >= last.n, `round ${round}: last acknowledged write ${last.n} lost (store has ${stored})`);
        const rows = await kv.range({ prefix: '/crash/n/' });
        // Consistent: exactly writes 1..stored, each complete, each in its own later revision.
        assert.equal(rows.count, stored);
        let prevRevision = 0;
        rows.kvs.forEach((kv, i) => {
          assert.equal(kv.value, `${i + 1}:${'x'.repeat((i + 1) % 200)}`);
          assert.ok(kv.modRevision > prevRevision);
          prevRevision = kv.modRevision;
        });
        for (const a of acked) assert.equal(rows.kvs[a.n - 1]?.modRevision, a.revision, `write ${a.n} acknowledged at ${a.revision}`);
        assert.equal((await kv.get('/crash/last'))?.modRevision, prevRevision);
        assert.equal(await kv.currentRevision(), prevRevision);
        const next = await kv.put('/after-crash', String(round));
        assert.equal(next.revision, prevRevision + 1);
        await kv.delete('/after-crash');
      } finally {
        await kv.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
