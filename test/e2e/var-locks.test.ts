// Variable locks end to end, on the real binary: a server agent with -data-dir. Acquire, renew and
// release over the API with writes and deletes blocked without the lock ID (also from `roam var
// put`/`purge`); `roam var lock` runs a child under the lock, releases it, gives up with
// -early-return, reports a failing child, and kills the child when the lock is lost; a lock
// survives a kill -9 of the server and its restored TTL timer still accepts renewals, then
// releases the lock after twice the TTL plus the lock-delay — and not before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoamApi, VariableConflictError } from '../../src/api/index.js';
import { roam, roamBin, startAgent, type CliResult, type RunningAgent } from '../helpers/roam.js';
import { waitFor } from '../helpers/wait.js';

describe('variable locks on a server agent', () => {
  let agent: RunningAgent;
  let api: RoamApi;
  let dataDir: string;
  let work: string;
  const env = (): NodeJS.ProcessEnv => ({ ROAM_ADDR: agent.address });
  const cli = (args: string[]): CliResult => roam(args, { env: env(), cwd: work });
  const start = async (): Promise<void> => {
    agent = await startAgent(['-server', '-data-dir', dataDir], { bind_addr: '127.0.0.1' });
    api = new RoamApi({ address: agent.address });
  };

  /** `roam var lock …` in the background: its exit and output once it ends. */
  function lockInBackground(args: string[]): { pid: number; done: Promise<CliResult> } {
    const proc = spawn(process.execPath, [roamBin, 'var', 'lock', ...args], { env: { ...process.env, ...env() }, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CliResult>((resolve) => proc.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { pid: proc.pid ?? 0, done };
  }

  const lockOf = async (p: string): Promise<string | undefined> => (await api.variables.peek(p)).data?.Lock?.ID;
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-locks-data-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-e2e-locks-'));
    await start();
  });

  after(async () => {
    await agent.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('acquire, renew and release; writes and deletes need the lock ID; var get shows the lock', async () => {
    const acquired = (await api.variables.acquireLock('locks/api', { items: { owner: 'me' } })).data;
    const id = acquired.Lock?.ID ?? '';
    assert.deepEqual(acquired.Lock, { TTL: '15s', LockDelay: '15s', ID: id });
    assert.equal((await api.variables.renewLock('locks/api', id)).data.Lock?.ID, id);

    // Someone else cannot take it, write it or delete it.
    await assert.rejects(api.variables.acquireLock('locks/api'), VariableConflictError);
    await assert.rejects(api.variables.put('locks/api', { owner: 'them' }), (e: unknown) => e instanceof VariableConflictError && e.current.ModifyIndex === 0);
    let r = cli(['var', 'put', '-force', 'locks/api', 'owner=them']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Check-and-Set conflict/);
    r = cli(['var', 'purge', 'locks/api']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /Check-and-Set conflict/);

    // `var get -out json` shows the lock as Nomad's api.Variable does; the table does not.
    r = cli(['var', 'get', '-out', 'json', 'locks/api']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { Lock: unknown }).Lock, { ID: id, TTL: '15s', LockDelay: '15s' });
    assert.match(r.stdout, /"Items": \{\n {4}"owner": "me"\n {2}\},\n {2}"Lock": \{\n {4}"ID": /);
    r = cli(['var', 'get', '-out', 'table', 'locks/api']);
    assert.doesNotMatch(r.stdout, /Lock/);

    // The holder writes with its lock ID (here from a specification file, as `var put @file`).
    fs.writeFileSync(path.join(work, 'spec.json'), JSON.stringify({ Path: 'locks/api', Items: { owner: 'me', v: '2' }, Lock: { ID: id } }));
    r = cli(['var', 'put', '-force', '-out', 'json', '@spec.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { Items: unknown }).Items, { owner: 'me', v: '2' });

    // Released: anyone may take it at once (no lock-delay after a release), and delete it once free.
    await api.variables.releaseLock('locks/api', id);
    const next = (await api.variables.acquireLock('locks/api')).data.Lock?.ID ?? '';
    assert.notEqual(next, id);
    await api.variables.releaseLock('locks/api', next);
    r = cli(['var', 'purge', 'locks/api']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('`roam var lock` runs the child under the lock and releases it; -early-return gives up; a failing child is reported', async () => {
    const marker = path.join(work, 'ran-early');
    const held = lockInBackground(['-ttl', '10s', 'locks/cli', 'echo child-start; sleep 3; echo child-end']);
    await waitFor('the lock to be held by var lock', () => lockOf('locks/cli'));

    // While it is held, a second var lock with -early-return does not run its child.
    const early = cli(['var', 'lock', '-early-return', 'locks/cli', `touch ${marker}`]);
    assert.equal(early.code, 0, early.stderr);
    assert.equal(fs.existsSync(marker), false);

    const done = await held.done;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, 'child-start\nchild-end\n');
    assert.equal(await lockOf('locks/cli'), undefined, 'released when the child exited');

    const failing = cli(['var', 'lock', '-shell=false', 'locks/cli', '/bin/sh', '-c', 'exit 3']);
    assert.equal(failing.code, 1);
    assert.equal(failing.stderr, 'Lock error:locks: error executing protected function exit status 3\n');
    assert.equal(await lockOf('locks/cli'), undefined);

    const usage = cli(['var', 'lock', 'locks/cli']);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /Not enough arguments \(expected >2, got 1\)/);
  });

  test('a lock lost while the child runs kills the child', async () => {
    const pidFile = path.join(work, 'child.pid');
    const run = lockInBackground(['-ttl', '10s', '-shell=false', 'locks/lost', '/bin/sh', '-c', `echo $$ > ${pidFile}; exec sleep 120`]);
    const id = await waitFor('the lock to be held', () => lockOf('locks/lost'));
    const childPid = Number(await waitFor('the child to start', () => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() || undefined : undefined)));
    assert.ok(alive(childPid));
    // Someone with the ID takes the lock away; the next renewal (0.7 × TTL) finds out.
    await api.variables.releaseLock('locks/lost', id);
    const done = await run.done;
    assert.equal(done.code, 1);
    assert.equal(done.stderr, 'Lock error:locks: error renewing the lease: renew conflict conflicting operation over lock\n');
    await waitFor('the child to be gone', () => !alive(childPid), 5_000);
  });

  test('a lock survives kill -9 of the server; its restored timer takes renewals, then releases it after 2 × TTL + lock-delay', async () => {
    const ttlMs = 10_000;
    const delayMs = 2_000;
    const id = (await api.variables.acquireLock('locks/durable', { items: { k: 'v' }, ttl: '10s', lockDelay: '2s' })).data.Lock?.ID ?? '';
    await agent.stop('SIGKILL');
    await start();

    assert.equal(await lockOf('locks/durable'), id);
    const renewedAt = Date.now();
    assert.equal((await api.variables.renewLock('locks/durable', id)).data.Lock?.ID, id, 'the timer was restored');

    // Nobody else gets it until the server has waited twice the TTL and the lock-delay.
    const takenAt = await waitFor(
      'another caller to acquire the expired lock',
      async () => {
        try {
          await api.variables.acquireLock('locks/durable', { ttl: '10s' });
          return Date.now();
        } catch (err) {
          if (err instanceof VariableConflictError) return undefined;
          throw err;
        }
      },
      60_000,
      500,
    );
    assert.ok(takenAt - renewedAt >= 2 * ttlMs + delayMs, `taken after ${takenAt - renewedAt} ms`);
    const now = (await api.variables.read('locks/durable')).data;
    assert.notEqual(now.Lock?.ID, id);
  });
});
