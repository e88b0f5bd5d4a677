// raw_exec beyond the conformance suite: Nomad's plugin and task options, deny lists, users,
// command lookup, and what the shim leaves in the task dir.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { nullLogger } from '../../structs/logger.js';
import type { TaskConfig } from '../driver.js';
import { DriverError } from '../driver.js';
import { readProcStat } from '../shared/proc.js';
import type { TaskConfigOptions } from '../testing.js';
import { eventually, Janitor, makeTaskConfig, readIfExists } from '../testing.js';
import { parseIdRanges } from './config.js';
import { EXIT_FILE, RawExecDriver, STATE_FILE } from './driver.js';
import { buildExecutor } from './test-support.js';

before(buildExecutor);

async function withDriver(plugin: Record<string, unknown>, fn: (d: RawExecDriver, cfg: (o: TaskConfigOptions) => TaskConfig, j: Janitor) => Promise<void>): Promise<void> {
  const d = new RawExecDriver(plugin, nullLogger);
  const j = new Janitor();
  const root = j.tempDir();
  const ids: string[] = [];
  const cfg = (o: TaskConfigOptions): TaskConfig => {
    const c = makeTaskConfig(root, o);
    ids.push(c.id);
    return c;
  };
  try {
    await fn(d, cfg, j);
  } finally {
    for (const id of ids) await d.destroyTask(id, true).catch(() => undefined);
    await d.shutdown();
    j.cleanup();
  }
}

const sh = (script: string): Record<string, unknown> => ({ command: '/bin/sh', args: ['-c', script] });

test('disabled by default: undetected "disabled", and startTask says so', async () => {
  await withDriver({}, async (d, cfg) => {
    assert.deepEqual(await d.fingerprint(), { health: 'undetected', healthDescription: 'disabled', attributes: {} });
    await assert.rejects(d.startTask(cfg({ config: sh('true') })), (e: unknown) => e instanceof DriverError && e.message === 'raw_exec is disabled' && !e.recoverable);
  });
  const on = new RawExecDriver({ enabled: 'true' }, nullLogger);
  assert.deepEqual((await on.fingerprint()).attributes, { 'driver.raw_exec': '1' });
  assert.throws(() => new RawExecDriver({ enabled: 'yes please' }, nullLogger), /enabled/);
  assert.throws(() => new RawExecDriver({ enabled: true, denied_host_uids: '5-1' }, nullLogger), /denied_host_uids/);
});

test('validateConfig follows Nomad\'s raw_exec task schema', () => {
  const d = new RawExecDriver({ enabled: true }, nullLogger);
  assert.deepEqual(d.validateConfig({ command: 'sleep', args: ['1'], work_dir: '/tmp', oom_score_adj: 10, denied_envvars: ['X'] }), []);
  assert.match(d.validateConfig({ args: ['1'] }).join('\n'), /"command" is required/);
  assert.match(d.validateConfig({ command: 'x', args: 'not a list' }).join('\n'), /"args" must be a list of strings/);
  assert.match(d.validateConfig({ command: 'x', image: 'redis' }).join('\n'), /unknown option "image"/);
  assert.match(d.validateConfig({ command: 'x', oom_score_adj: -5 }).join('\n'), /oom_score_adj/);
  assert.match(d.validateConfig({ command: 'x', work_dir: 'relative' }).join('\n'), /absolute/);
  assert.deepEqual(parseIdRanges('0, 10-20,7', 'x'), [[0, 0], [10, 20], [7, 7]]);
});

test('denied_envvars of the plugin and the task (globs) keep variables from the task', async () => {
  await withDriver({ enabled: true, denied_envvars: ['SECRET_*'] }, async (d, cfg) => {
    const c = cfg({ config: { ...sh('env | sort'), denied_envvars: ['ALSO_HIDDEN'] }, env: { SECRET_TOKEN: 's', ALSO_HIDDEN: 'h', VISIBLE: 'v' } });
    await d.startTask(c);
    await d.waitTask(c.id);
    const out = readIfExists(path.join(c.dirs.logDir, 'web.stdout.0'));
    assert.match(out, /^VISIBLE=v$/m);
    assert.doesNotMatch(out, /SECRET_TOKEN|ALSO_HIDDEN/);
  });
});

test('denied_host_uids refuses to run tasks as a denied user', async () => {
  const uid = process.getuid?.() ?? 0;
  await withDriver({ enabled: true, denied_host_uids: `${uid}` }, async (d, cfg) => {
    await assert.rejects(d.startTask(cfg({ config: sh('true') })), (e: unknown) => e instanceof DriverError && /denied_host_uids/.test(e.message) && !e.recoverable);
  });
  await withDriver({ enabled: true }, async (d, cfg) => {
    await assert.rejects(d.startTask(cfg({ config: sh('true'), user: 'no-such-user-here' })), /no such user/);
  });
});

test('the task runs as its user when the agent is root', { skip: process.getuid?.() === 0 ? false : 'needs root' }, async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    const c = cfg({ config: sh('id -u; id -g'), user: 'nobody' });
    await d.startTask(c);
    assert.equal((await d.waitTask(c.id)).exitCode, 0);
    const [uid] = readIfExists(path.join(c.dirs.logDir, 'web.stdout.0')).split('\n');
    assert.equal(uid, '65534');
  });
});

test('the command is looked up in the task dir, then PATH; work_dir and oom_score_adj apply', async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    const c = cfg({ config: { command: 'hello.sh', work_dir: '/tmp', oom_score_adj: 500 } });
    fs.writeFileSync(path.join(c.dirs.localDir, 'hello.sh'), '#!/bin/sh\npwd\ncat /proc/self/oom_score_adj\n', { mode: 0o755 });
    await d.startTask(c);
    assert.equal((await d.waitTask(c.id)).exitCode, 0);
    assert.equal(readIfExists(path.join(c.dirs.logDir, 'web.stdout.0')), '/tmp\n500\n');

    const p = cfg({ config: { command: 'sleep', args: ['30'] } });
    const h = await d.startTask(p);
    assert.equal(readProcStat(Number(h.state.taskPid))?.pgrp, Number(h.state.taskPid), 'the task leads its own process group');
    await d.stopTask(p.id, 2000, '');
    assert.equal((await d.waitTask(p.id)).signal, 2, 'the default kill signal is SIGINT');
  });
});

test('startup failures are reported, not left running', async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    await assert.rejects(d.startTask(cfg({ config: { command: 'no-such-command-anywhere' } })), /failed to launch command: no-such-command-anywhere: no such file/);
    await assert.rejects(d.startTask(cfg({ config: { command: '/bin/true', work_dir: '/no/such/dir' } })), /failed to change to work_dir \/no\/such\/dir/);
  });
});

test('the shim writes its state file and an atomic exit file, then leaves', async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    const c = cfg({ config: sh('exit 5') });
    const h = await d.startTask(c);
    await d.waitTask(c.id);
    const state = JSON.parse(fs.readFileSync(path.join(c.dirs.dir, STATE_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(state.taskPid, h.state.taskPid);
    assert.equal(state.executorPid, h.state.executorPid);
    const exit = JSON.parse(fs.readFileSync(path.join(c.dirs.dir, EXIT_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(exit.exitCode, 5);
    assert.deepEqual(fs.readdirSync(c.dirs.dir).filter((n) => n.endsWith('.tmp')), []);
    await eventually('the shim to exit', () => {
      const st = readProcStat(Number(h.state.executorPid));
      return st === undefined || st.state === 'Z' ? true : undefined;
    });
    await d.destroyTask(c.id, false);
    assert.equal(fs.existsSync(path.join(c.dirs.dir, EXIT_FILE)), false, 'destroy cleans up');
  });
});

test('a restarted task continues the newest log file; disabled logs write nothing', async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    const c = cfg({ config: sh('echo first') });
    fs.writeFileSync(path.join(c.dirs.logDir, 'web.stdout.3'), 'earlier\n');
    await d.startTask(c);
    await d.waitTask(c.id);
    assert.equal(readIfExists(path.join(c.dirs.logDir, 'web.stdout.3')), 'earlier\nfirst\n');
    const quiet = cfg({ name: 'quiet', config: sh('echo nothing'), logs: { disabled: true } });
    await d.startTask(quiet);
    assert.equal((await d.waitTask(quiet.id)).exitCode, 0);
    assert.deepEqual(fs.readdirSync(quiet.dirs.logDir).filter((n) => n.startsWith('quiet.')), []);
  });
});

test('exec runs in the task environment and stops on abort', async () => {
  await withDriver({ enabled: true }, async (d, cfg) => {
    const c = cfg({ config: { command: 'sleep', args: ['30'] }, env: { GREETING: 'hi' } });
    await d.startTask(c);
    const out: Buffer[] = [];
    const res = await d.execTask(c.id, { command: ['/bin/sh', '-c', 'echo $GREETING; pwd'], tty: false, stdout: (b) => out.push(Buffer.from(b)), stderr: () => undefined });
    assert.equal(res.exitCode, 0);
    assert.equal(Buffer.concat(out).toString(), `hi\n${c.dirs.dir}\n`);
    const ac = new AbortController();
    const long = d.execTask(c.id, { command: ['sleep', '30'], tty: false, stdout: () => undefined, stderr: () => undefined, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    assert.equal((await long).signal, 9);
    const tty = await d.execTask(c.id, {
      command: ['/bin/sh'],
      tty: true,
      stdin: (async function* () {
        yield Buffer.from('stty size; exit 4\n');
      })(),
      resize: (async function* () {
        yield { width: 100, height: 30 };
      })(),
      stdout: () => undefined,
      stderr: () => undefined,
    });
    assert.equal(tty.exitCode, 4);
    await assert.rejects(d.execTask(c.id, { command: ['no-such-binary-x'], tty: false, stdout: () => undefined, stderr: () => undefined }), /no such file/);
  });
});

test('a background child holding the output pipes does not delay the exit; destroy takes it away', async () => {
  await withDriver({ enabled: true }, async (d, cfg, j) => {
    const c = cfg({ config: sh('sleep 30 & echo started; exit 3') });
    const h = await d.startTask(c);
    j.trackPid(Number(h.state.taskPid), Number(h.state.taskStartTicks));
    const t0 = Date.now();
    assert.equal((await d.waitTask(c.id)).exitCode, 3);
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(j.liveProcesses().length, 1, 'the background sleep is still there');
    await d.destroyTask(c.id, false);
    await eventually('the group to be gone', () => (j.liveProcesses().length === 0 ? true : undefined));
  });
});

test('a task whose shim was killed is reported with an error once it ends', async () => {
  await withDriver({ enabled: true }, async (d, cfg, j) => {
    const c = cfg({ config: { command: 'sleep', args: ['30'] } });
    const h = await d.startTask(c);
    j.trackPid(Number(h.state.taskPid));
    process.kill(Number(h.state.executorPid), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(d.inspectTask(c.id).state, 'running', 'the task outlives its shim');
    process.kill(Number(h.state.taskPid), 'SIGTERM');
    const res = await d.waitTask(c.id);
    assert.equal(res.exitCode, -1);
    assert.match(res.error ?? '', /executor exited without recording/);
  });
});
