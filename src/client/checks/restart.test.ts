// check_restart through the real alloc runner: a group service's failing check restarts every
// running task of the allocation (Nomad's allocRunner.Restart), a task service's only its task;
// both as failures the restart policy counts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RoamApi } from '../../api/index.js';
import type { Allocation } from '../../structs/alloc.js';
import { MS, SECOND } from '../../structs/duration.js';
import { nullLogger } from '../../structs/logger.js';
import { mockAlloc, mockJob, mockNode, mockService, mockServiceCheck, mockTask, mockTaskGroup } from '../../structs/mock.js';
import type { Service } from '../../structs/services.js';
import { AllocRunner } from '../allocrunner/alloc-runner.js';
import { buildAllocHooks } from '../allocrunner/hooks.js';
import { ApiServiceRegistrar } from '../services.js';
import { NoopStateDB } from '../state-db.js';
import { buildTaskHooks } from '../taskrunner/hooks.js';
import { FakeDriver } from '../testing/fake-driver.js';
import { CheckStore } from './store.js';
import { CheckWatcher } from './watcher.js';

const node = mockNode();
const api = { internal: { upsertServices: () => Promise.resolve({}), deleteServices: () => Promise.resolve({}) } } as unknown as RoamApi;

async function until(what: string, fn: () => boolean, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function runWith(t: { after(fn: () => void | Promise<void>): void }, port: number, services: { group?: Service[]; task?: Service[] }): Promise<AllocRunner> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-checks-'));
  const store = new CheckStore();
  const watcher = new CheckWatcher({ statuses: () => store.snapshot(), logger: nullLogger, pollMs: 20 });
  const ctl = new AbortController();
  const watching = watcher.run(ctl.signal);
  const driver = new FakeDriver('fake');
  const runners = new Map<string, AllocRunner>();
  const registrar = new ApiServiceRegistrar(() => api, () => node, 'global', nullLogger, {
    watcher,
    restarter: (allocID, task) => (task === undefined ? runners.get(allocID) : runners.get(allocID)?.taskRunner(task)),
  });
  const tasks = ['a', 'b'].map((name) => mockTask({ Name: name, Driver: 'fake', Config: { run_for_ms: 60_000 }, KillTimeout: SECOND, Services: name === 'a' ? (services.task ?? null) : null }));
  const group = mockTaskGroup({ Name: 'g', Tasks: tasks, Services: services.group ?? null, RestartPolicy: { Attempts: 2, Interval: 60 * SECOND, Delay: 20 * MS, Mode: 'fail', RenderTemplates: false } });
  const alloc: Allocation = mockAlloc({ ...mockJob(), ID: 'job1', Name: 'job1', TaskGroups: [group] }, node, { Name: 'job1.g[0]', TaskGroup: 'g' });
  alloc.AllocatedResources = { ...alloc.AllocatedResources!, Shared: { ...alloc.AllocatedResources!.Shared, Ports: [{ Label: 'http', Value: port, To: 0, HostIP: '127.0.0.1' }] } };
  const ar = new AllocRunner({
    alloc,
    drivers: new Map([['fake', driver]]),
    allocRoot: root,
    node: () => node,
    region: 'global',
    hostEnv: {},
    db: new NoopStateDB(),
    logger: nullLogger,
    onUpdate: () => undefined,
    serversContacted: Promise.resolve(),
    hooks: buildAllocHooks({ services: registrar, checks: { store, node: () => node, region: 'global' } }),
    checks: store,
    taskRunner: { hooks: buildTaskHooks({ services: registrar }), killBackoffBaseMs: 10 },
  });
  runners.set(alloc.ID, ar);
  t.after(async () => {
    await ar.destroy();
    ctl.abort();
    await watching;
    driver.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  void ar.run();
  return ar;
}

async function failingServer(t: { after(fn: () => Promise<void>): void }): Promise<number> {
  const server = http.createServer((_req, res) => res.writeHead(503).end('unavailable'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as AddressInfo).port;
}

const failing = (name: string): ReturnType<typeof mockServiceCheck> => mockServiceCheck({ Name: name, TaskName: '', Interval: 100e6, Timeout: SECOND, CheckRestart: { Limit: 2, Grace: 200e6, IgnoreWarnings: false } });

const restartSignaled = (ar: AllocRunner, task: string): string[] =>
  (ar.taskStates()[task]?.Events ?? []).filter((e) => e.Type === 'Restart Signaled').map((e) => e.DisplayMessage);

test('a group service check with check_restart restarts every running task of the allocation', async (t) => {
  const port = await failingServer(t);
  const ar = await runWith(t, port, { group: [mockService({ Name: 'front', PortLabel: 'http', Checks: [failing('front-up')] })] });
  await until('both tasks restarted', () => (ar.taskStates()['a']?.Restarts ?? 0) >= 1 && (ar.taskStates()['b']?.Restarts ?? 0) >= 1);
  for (const task of ['a', 'b']) {
    assert.equal(restartSignaled(ar, task)[0], 'healthcheck: check "front-up" unhealthy');
    const ev = ar.taskStates()[task]?.Events ?? [];
    assert.equal(ev.find((e) => e.Type === 'Restarting')?.RestartReason, 'Restart within policy', 'a failure restart counts against the policy');
  }
  assert.equal(Object.values(ar.checkResults() ?? {})[0]?.Status, 'failure');
});

test('a task service check with check_restart restarts only its task', async (t) => {
  const port = await failingServer(t);
  const ar = await runWith(t, port, { task: [mockService({ Name: 'back', TaskName: 'a', PortLabel: 'http', Checks: [{ ...failing('back-up'), TaskName: 'a' }] })] });
  await until('task a restarted', () => (ar.taskStates()['a']?.Restarts ?? 0) >= 1);
  assert.equal(restartSignaled(ar, 'a')[0], 'healthcheck: check "back-up" unhealthy');
  assert.deepEqual(restartSignaled(ar, 'b'), []);
  assert.equal(ar.taskStates()['b']?.Restarts, 0);
});
