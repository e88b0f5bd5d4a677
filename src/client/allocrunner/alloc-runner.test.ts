import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Allocation, TaskState } from '../../structs/alloc.js';
import { MS, SECOND } from '../../structs/duration.js';
import type { Task } from '../../structs/job.js';
import { nullLogger } from '../../structs/logger.js';
import { mockAlloc, mockBatchJob, mockJob, mockNode, mockTask, mockTaskGroup } from '../../structs/mock.js';
import { Latch } from '../async.js';
import { NoopStateDB, SqliteStateDB, type ClientStateDB } from '../state-db.js';
import { FakeDriver } from '../testing/fake-driver.js';
import { AllocRunner } from './alloc-runner.js';

const node = mockNode({ Name: 'test-node' });

function tmpRoot(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-ar-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function task(name: string, config: Record<string, unknown>, over: Partial<Task> = {}): Task {
  return mockTask({ Name: name, Driver: 'fake', Config: config, KillTimeout: 2 * SECOND, ...over });
}

function allocFor(tasks: Task[], type: 'service' | 'batch' = 'service', restart = { Attempts: 2, Interval: 60 * SECOND, Delay: 20 * MS, Mode: 'fail', RenderTemplates: false }): Allocation {
  const base = type === 'batch' ? mockBatchJob() : mockJob();
  const group = mockTaskGroup({ Name: 'g', Tasks: tasks, RestartPolicy: restart });
  const job = { ...base, ID: 'job1', Name: 'job1', TaskGroups: [group] };
  const a = mockAlloc(job, node, { Name: 'job1.g[0]', TaskGroup: 'g' });
  return a;
}

interface Harness {
  ar: AllocRunner;
  driver: FakeDriver;
  updates: number;
  servers: Latch;
}

function harness(t: { after(fn: () => void): void }, alloc: Allocation, opts: { driver?: FakeDriver; db?: ClientStateDB; root?: string; restore?: boolean } = {}): Harness {
  const driver = opts.driver ?? new FakeDriver('fake');
  const db = opts.db ?? new NoopStateDB();
  const servers = new Latch();
  const h: Harness = { ar: undefined as unknown as AllocRunner, driver, updates: 0, servers };
  h.ar = new AllocRunner({
    alloc,
    drivers: new Map([['fake', driver]]),
    allocRoot: opts.root ?? tmpRoot(t),
    node: () => node,
    region: 'global',
    hostEnv: { PATH: '/usr/bin', VAULT_TOKEN: 'secret' },
    db,
    logger: nullLogger,
    onUpdate: () => h.updates++,
    serversContacted: servers.promise,
    restore: opts.restore ? db.allocations().find((p) => p.alloc.ID === alloc.ID) : undefined,
    taskRunner: { killBackoffBaseMs: 10 },
  });
  t.after(() => driver.close());
  return h;
}

function types(s: TaskState | undefined): string[] {
  return (s?.Events ?? []).map((e) => e.Type);
}

async function until(what: string, fn: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a batch task runs to completion: events, dirs, environment, complete', async (t) => {
  const a = allocFor([task('work', { run_for_ms: 10, exit_code: 0 }, { Env: { GREETING: 'hello ${NOMAD_TASK_NAME}' } })], 'batch');
  const h = harness(t, a);
  await h.ar.run();
  const s = h.ar.taskStates()['work'];
  assert.deepEqual(types(s), ['Received', 'Task Setup', 'Started', 'Terminated']);
  assert.equal(s?.Events?.[1]?.DisplayMessage, 'Building Task Directory');
  assert.equal(s?.Events?.[3]?.DisplayMessage, 'Exit Code: 0');
  assert.equal(s?.State, 'dead');
  assert.equal(s?.Failed, false);
  assert.notEqual(s?.StartedAt, '0001-01-01T00:00:00Z');
  assert.notEqual(s?.FinishedAt, '0001-01-01T00:00:00Z');
  assert.equal(h.ar.alloc().ClientStatus, 'complete');
  assert.equal(h.ar.alloc().ClientDescription, 'All tasks have completed');
  const cfg = h.driver.started[0];
  assert.ok(cfg);
  assert.match(cfg.id, new RegExp(`^${a.ID}/work/[0-9a-f]{8}$`));
  assert.equal(cfg.env['GREETING'], 'hello work');
  assert.equal(cfg.env['NOMAD_TASK_DIR'], path.join(h.ar.allocDir.dir, 'work', 'local'));
  assert.equal(cfg.env['PATH'], '/usr/bin');
  assert.equal(cfg.env['VAULT_TOKEN'], undefined);
  assert.ok(fs.statSync(path.join(h.ar.allocDir.dir, 'work', 'secrets')).isDirectory());
  assert.ok(fs.statSync(path.join(h.ar.allocDir.dir, 'alloc', 'logs')).isDirectory());
  assert.deepEqual(cfg.logs, { maxFiles: 10, maxFileSizeMB: 10, disabled: false });
});

test('a failing service task restarts per policy, then the allocation fails with Nomad\'s reason', async (t) => {
  const h = harness(t, allocFor([task('web', { run_for_ms: 5, exit_code: 3 })]));
  await h.ar.run();
  const s = h.ar.taskStates()['web'];
  assert.deepEqual(types(s).slice(-9), ['Started', 'Terminated', 'Restarting', 'Started', 'Terminated', 'Restarting', 'Started', 'Terminated', 'Not Restarting']);
  const restarting = s?.Events?.find((e) => e.Type === 'Restarting');
  assert.match(restarting?.DisplayMessage ?? '', /^Task restarting in \d+(\.\d+)?ms$/);
  assert.equal(restarting?.RestartReason, 'Restart within policy');
  assert.equal(s?.Events?.at(-1)?.DisplayMessage, 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"');
  assert.equal(s?.Events?.find((e) => e.Type === 'Terminated')?.DisplayMessage, 'Exit Code: 3');
  assert.equal(s?.Restarts, 2);
  assert.equal(s?.Failed, true);
  assert.notEqual(s?.LastRestart, '0001-01-01T00:00:00Z');
  assert.equal(h.driver.started.length, 3);
  assert.equal(h.ar.alloc().ClientStatus, 'failed');
});

test('events keep only the last 10', async (t) => {
  const h = harness(t, allocFor([task('web', { run_for_ms: 1, exit_code: 1 })], 'service', { Attempts: 6, Interval: 60 * SECOND, Delay: 1 * MS, Mode: 'fail', RenderTemplates: false }));
  await h.ar.run();
  assert.equal(h.ar.taskStates()['web']?.Events?.length, 10);
  assert.equal(h.ar.taskStates()['web']?.Restarts, 6);
});

test('the leader dying kills its siblings with Leader Task Dead', async (t) => {
  const h = harness(t, allocFor([task('leader', { run_for_ms: 20, exit_code: 0 }, { Leader: true }), task('helper', {})], 'batch'));
  await h.ar.run();
  const helper = h.ar.taskStates()['helper'];
  assert.deepEqual(types(helper).slice(-5), ['Started', 'Leader Task Dead', 'Killing', 'Terminated', 'Killed']);
  assert.equal(helper?.Events?.find((e) => e.Type === 'Leader Task Dead')?.DisplayMessage, 'Leader Task in Group dead');
  assert.equal(helper?.Events?.find((e) => e.Type === 'Killing')?.DisplayMessage, 'Sent interrupt. Waiting 2s before force killing');
  assert.equal(helper?.Events?.at(-1)?.DisplayMessage, 'Task successfully killed');
  assert.equal(helper?.Failed, false);
  assert.equal(h.ar.alloc().ClientStatus, 'complete');
});

test('a failed task kills its siblings with Sibling Task Failed and the allocation fails', async (t) => {
  const policy = { Attempts: 0, Interval: 60 * SECOND, Delay: 20 * MS, Mode: 'fail', RenderTemplates: false };
  const h = harness(t, allocFor([task('bad', { run_for_ms: 10, exit_code: 1 }), task('good', {})], 'service', policy));
  await h.ar.run();
  const good = h.ar.taskStates()['good'];
  assert.ok(types(good).includes('Sibling Task Failed'));
  assert.equal(good?.Events?.find((e) => e.Type === 'Sibling Task Failed')?.DisplayMessage, 'Task\'s sibling "bad" failed');
  assert.equal(h.ar.taskStates()['bad']?.Events?.at(-1)?.DisplayMessage, 'Policy allows no restarts');
  assert.equal(h.ar.alloc().ClientStatus, 'failed');
  assert.equal(h.driver.running().length, 0);
});

test('lifecycle: prestart before main, poststart after main started, poststop after main dead; sidecars killed when main dies', async (t) => {
  const a = allocFor(
    [
      task('init', { run_for_ms: 20 }, { Lifecycle: { Hook: 'prestart', Sidecar: false } }),
      task('side', {}, { Lifecycle: { Hook: 'prestart', Sidecar: true } }),
      task('main', { run_for_ms: 40 }),
      task('post', { run_for_ms: 5 }, { Lifecycle: { Hook: 'poststart', Sidecar: false } }),
      task('cleanup', { run_for_ms: 5 }, { Lifecycle: { Hook: 'poststop', Sidecar: false } }),
    ],
    'batch',
  );
  const h = harness(t, a);
  await h.ar.run();
  const order = h.driver.started.map((c) => c.name);
  assert.ok(order.indexOf('init') < order.indexOf('main'));
  assert.ok(order.indexOf('side') < order.indexOf('main'));
  assert.ok(order.indexOf('main') < order.indexOf('post'));
  assert.equal(order.at(-1), 'cleanup');
  const side = h.ar.taskStates()['side'];
  assert.ok(types(side).includes('Main Tasks Dead'), types(side).join(','));
  assert.equal(h.ar.alloc().ClientStatus, 'complete');
  const cleanupStart = h.driver.started.find((c) => c.name === 'cleanup');
  assert.ok(cleanupStart);
});

test('a prestart task that fails keeps main from running and fails the allocation', async (t) => {
  const policy = { Attempts: 0, Interval: 60 * SECOND, Delay: 20 * MS, Mode: 'fail', RenderTemplates: false };
  const h = harness(t, allocFor([task('init', { run_for_ms: 5, exit_code: 2 }, { Lifecycle: { Hook: 'prestart', Sidecar: false } }), task('main', {})], 'service', policy));
  await h.ar.run();
  assert.deepEqual(h.driver.started.map((c) => c.name), ['init']);
  assert.equal(h.ar.taskStates()['main']?.State, 'dead');
  assert.equal(h.ar.alloc().ClientStatus, 'failed');
});

test('alloc stop kills the leader first, then the other main tasks, sidecars last; poststop runs after', async (t) => {
  const a = allocFor([
    task('side', {}, { Lifecycle: { Hook: 'poststart', Sidecar: true } }),
    task('worker', {}),
    task('boss', {}, { Leader: true }),
    task('after', { run_for_ms: 1 }, { Lifecycle: { Hook: 'poststop', Sidecar: false } }),
  ]);
  const h = harness(t, a);
  const done = h.ar.run();
  await until('all running', () => h.driver.running().length === 3);
  assert.equal(h.ar.alloc().ClientStatus, 'running');
  h.ar.update({ ...a, DesiredStatus: 'stop', AllocModifyIndex: a.AllocModifyIndex + 1 });
  await done;
  const names = h.driver.stopped.map((s) => h.driver.started.find((c) => c.id === s.taskID)?.name);
  assert.deepEqual(names, ['boss', 'worker', 'side']);
  assert.equal(h.driver.stopped[0]?.timeoutMs, 2000);
  assert.equal(h.driver.started.at(-1)?.name, 'after');
  for (const n of ['boss', 'worker', 'side']) assert.deepEqual(types(h.ar.taskStates()[n]).slice(-3), ['Killing', 'Terminated', 'Killed'], n);
  assert.equal(h.ar.alloc().ClientStatus, 'complete');
});

test('start failures: unrecoverable driver errors and invalid config are not retried', async (t) => {
  const h = harness(t, allocFor([task('a', { start_error: 'image not found', start_error_recoverable: false })]));
  await h.ar.run();
  const a = h.ar.taskStates()['a'];
  assert.deepEqual(types(a).slice(-2), ['Driver Failure', 'Not Restarting']);
  assert.equal(a?.Events?.at(-2)?.DisplayMessage, 'image not found');
  assert.equal(a?.Events?.at(-1)?.DisplayMessage, 'Error was unrecoverable');
  assert.equal(h.ar.alloc().ClientStatus, 'failed');
  const h2 = harness(t, allocFor([task('b', { bogus: 1 })]));
  await h2.ar.run();
  const b = h2.ar.taskStates()['b'];
  assert.deepEqual(types(b).slice(-2), ['Failed Validation', 'Not Restarting']);
  assert.equal(b?.Events?.at(-2)?.DisplayMessage, 'unknown option "bogus"');
  assert.equal(h2.driver.started.length, 0);
  // A recoverable start error is retried per policy.
  const h3 = harness(t, allocFor([task('c', { start_error: 'busy' })]));
  await h3.ar.run();
  assert.equal(types(h3.ar.taskStates()['c']).filter((x) => x === 'Driver Failure').length, 3);
});

test('a missing driver is a Driver Failure', async (t) => {
  const h = harness(t, allocFor([mockTask({ Name: 'x', Driver: 'nope', Config: {} })]));
  await h.ar.run();
  assert.match(h.ar.taskStates()['x']?.Events?.find((e) => e.Type === 'Driver Failure')?.DisplayMessage ?? '', /driver "nope" is not available/);
});

test('shutdown leaves tasks running; a new runner re-attaches without a second start or Started event', async (t) => {
  const root = tmpRoot(t);
  const db = new SqliteStateDB(path.join(root, 'state', 'state.db'));
  t.after(() => db.close());
  const driver = new FakeDriver('fake');
  const a = allocFor([task('web', {})]);
  const h1 = harness(t, a, { driver, db, root });
  void h1.ar.run();
  await until('running', () => h1.ar.taskStates()['web']?.State === 'running');
  const pid = driver.running()[0]?.pid;
  await h1.ar.shutdown();
  assert.equal(driver.running().length, 1, 'the task survives the shutdown');
  assert.equal(driver.running()[0]?.pid, pid);

  const h2 = harness(t, a, { driver, db, root, restore: true });
  await h2.ar.restore();
  const run = h2.ar.run();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(driver.started.length, 1, 'no duplicate start');
  assert.equal(h2.ar.taskStates()['web']?.State, 'running');
  assert.equal(types(h2.ar.taskStates()['web']).filter((x) => x === 'Started').length, 1);
  assert.equal(h2.ar.taskRunner('web')?.driverHandle()?.state['pid'], pid);
  // The re-attached task exits: its real exit code is reported and the policy applies.
  driver.exitTask('web', { exitCode: 7, signal: 0, oomKilled: false });
  await until('restarted', () => driver.started.length === 2);
  assert.ok(h2.ar.taskStates()['web']?.Events?.some((e) => e.Type === 'Terminated' && e.ExitCode === 7));
  h2.ar.update({ ...a, DesiredStatus: 'stop', AllocModifyIndex: a.AllocModifyIndex + 1 });
  await run;
});

test('a task that exited while the agent was down is reported with its exit code', async (t) => {
  const root = tmpRoot(t);
  const db = new SqliteStateDB(path.join(root, 'state.db'));
  t.after(() => db.close());
  const driver = new FakeDriver('fake');
  const a = allocFor([task('job', {})], 'batch');
  const h1 = harness(t, a, { driver, db, root });
  void h1.ar.run();
  await until('running', () => h1.ar.taskStates()['job']?.State === 'running');
  await h1.ar.shutdown();
  driver.exitTask('job', { exitCode: 0, signal: 0, oomKilled: false });
  const h2 = harness(t, a, { driver, db, root, restore: true });
  await h2.ar.restore();
  await h2.ar.run();
  const s = h2.ar.taskStates()['job'];
  assert.deepEqual(types(s).slice(-2), ['Started', 'Terminated']);
  assert.equal(s?.State, 'dead');
  assert.equal(h2.ar.alloc().ClientStatus, 'complete');
  assert.equal(driver.started.length, 1);
});

test('a task that cannot be recovered emits Failed Restoring Task and starts again only after the servers are contacted', async (t) => {
  const root = tmpRoot(t);
  const db = new SqliteStateDB(path.join(root, 'state.db'));
  t.after(() => db.close());
  const driver = new FakeDriver('fake');
  const a = allocFor([task('web', {})]);
  const h1 = harness(t, a, { driver, db, root });
  void h1.ar.run();
  await until('running', () => h1.ar.taskStates()['web']?.State === 'running');
  await h1.ar.shutdown();
  driver.failRecover = true;
  const h2 = harness(t, a, { driver, db, root, restore: true });
  await h2.ar.restore();
  const run = h2.ar.run();
  const ev = h2.ar.taskStates()['web']?.Events?.at(-1);
  assert.equal(ev?.Type, 'Failed Restoring Task');
  assert.equal(ev?.DisplayMessage, 'failed to restore task; will not run until server is contacted');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(driver.started.length, 1);
  h2.servers.open();
  await until('started again', () => driver.started.length === 2);
  h2.ar.update({ ...a, DesiredStatus: 'stop', AllocModifyIndex: a.AllocModifyIndex + 1 });
  await run;
});

test('restart and signal of a running task', async (t) => {
  const a = allocFor([task('web', {})]);
  const h = harness(t, a);
  const run = h.ar.run();
  await until('running', () => h.ar.taskStates()['web']?.State === 'running');
  await h.ar.taskRunner('web')?.signal('SIGHUP');
  assert.deepEqual(h.driver.signals.map((s) => s.signal), ['SIGHUP']);
  await h.ar.taskRunner('web')?.restart('User requested restart');
  await until('restarted', () => h.driver.started.length === 2 && h.ar.taskStates()['web']?.State === 'running');
  const ty = types(h.ar.taskStates()['web']);
  assert.deepEqual(ty.slice(-5), ['Signaling', 'Restart Signaled', 'Terminated', 'Restarting', 'Started']);
  assert.equal(h.ar.taskStates()['web']?.Events?.find((e) => e.Type === 'Restarting')?.DisplayMessage, 'Task restarting in 0s');
  h.ar.update({ ...a, DesiredStatus: 'stop', AllocModifyIndex: a.AllocModifyIndex + 1 });
  await run;
});

test('shutdown_delay: Waiting for shutdown delay before the kill', async (t) => {
  const a = allocFor([task('web', {}, { ShutdownDelay: 50 * MS })]);
  const h = harness(t, a);
  const run = h.ar.run();
  await until('running', () => h.ar.taskStates()['web']?.State === 'running');
  const t0 = Date.now();
  h.ar.update({ ...a, DesiredStatus: 'stop', AllocModifyIndex: a.AllocModifyIndex + 1 });
  await run;
  assert.ok((h.driver.stopped[0]?.at ?? 0) - t0 >= 45);
  assert.ok(types(h.ar.taskStates()['web']).includes('Waiting for shutdown delay'));
});
