// The client against a real in-process server over HTTP: registration, heartbeats, alloc watch,
// status sync, alloc stop, removal, restore after a client restart, and a missing server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MS, SECOND } from '../structs/duration.js';
import { nullLogger } from '../structs/logger.js';
import { mockBatchJob, mockJob, mockResources, mockTask, mockTaskGroup } from '../structs/mock.js';
import type { Job } from '../structs/job.js';
import { startServer, waitFor, type TestCluster } from '../../test/helpers/cluster.js';
import { Client, type ClientConfig } from './client.js';
import { FakeDriver } from './testing/fake-driver.js';

function clientConfig(cluster: TestCluster, driver: FakeDriver, over: Partial<ClientConfig> = {}): ClientConfig {
  return {
    servers: [cluster.agent.httpAddress],
    region: 'global',
    datacenter: 'dc1',
    nodeName: 'client-test',
    nodeClass: 'test',
    nodePool: 'default',
    meta: { rack: 'r1' },
    networkInterface: 'lo',
    minDynamicPort: 20000,
    maxDynamicPort: 32000,
    stateDir: '',
    allocDir: '',
    devMode: true,
    advertiseAddress: cluster.agent.httpAddress,
    drivers: new Map([['fake', driver]]),
    logger: nullLogger,
    registerRetryMs: 100,
    taskRunner: { killBackoffBaseMs: 10 },
    ...over,
  };
}

function fakeJob(id: string, count: number, config: Record<string, unknown>, over: Partial<Job> = {}, batch = false): Job {
  const base = batch ? mockBatchJob() : mockJob();
  const restart = { Attempts: 1, Interval: 60 * SECOND, Delay: 10 * MS, Mode: 'fail', RenderTemplates: false };
  return {
    ...base,
    ID: id,
    Name: id,
    Datacenters: ['*'],
    TaskGroups: [mockTaskGroup({ Name: 'g', Count: count, RestartPolicy: restart, ReschedulePolicy: batch ? { Attempts: 0, Interval: 0, Delay: 5 * SECOND, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false } : null, Tasks: [mockTask({ Name: 't', Driver: 'fake', Config: config, Resources: mockResources({ CPU: 100, MemoryMB: 32 }), KillTimeout: SECOND })] })],
    ...over,
  };
}

test('the client registers, runs allocations, reports their status and stops them', async (t) => {
  const cluster = await startServer();
  const driver = new FakeDriver('fake');
  const client = new Client(clientConfig(cluster, driver));
  t.after(async () => {
    await client.stop();
    await cluster.close();
    driver.close();
  });
  await client.start();
  await client.registered();
  const node = await waitFor('node ready', async () => {
    const n = (await cluster.api.nodes.info(client.nodeID)).data;
    return n.Status === 'ready' ? n : undefined;
  });
  assert.equal(node.Name, 'client-test');
  assert.equal(node.Attributes['driver.fake'], '1');
  assert.equal(node.Attributes['unique.network.ip-address'], '127.0.0.1');
  assert.equal(node.Drivers['fake']?.Healthy, true);
  assert.equal(node.Meta['rack'], 'r1');
  assert.equal(node.NodeClass, 'test');

  // A batch job completes.
  await cluster.api.jobs.register(fakeJob('batch-ok', 2, { run_for_ms: 20, exit_code: 0 }, {}, true));
  const done = await waitFor('batch allocs complete', async () => {
    const allocs = (await cluster.api.jobs.allocations('batch-ok')).data;
    return allocs.length === 2 && allocs.every((a) => a.ClientStatus === 'complete') ? allocs : undefined;
  });
  const full = (await cluster.api.allocations.info(done[0]?.ID ?? '')).data;
  assert.deepEqual(full.TaskStates?.['t']?.Events?.map((e) => e.Type), ['Received', 'Task Setup', 'Started', 'Terminated']);
  assert.equal(full.TaskStates?.['t']?.State, 'dead');

  // A service job runs; stopping the job kills its tasks and the allocation completes.
  await cluster.api.jobs.register(fakeJob('svc', 3, {}));
  await waitFor('3 running', async () => {
    const allocs = (await cluster.api.jobs.allocations('svc')).data;
    return allocs.filter((a) => a.ClientStatus === 'running').length === 3 ? true : undefined;
  });
  assert.equal(driver.running().length, 3);
  await cluster.api.jobs.deregister('svc', false);
  await waitFor('stopped', async () => {
    const allocs = (await cluster.api.jobs.allocations('svc')).data;
    return allocs.every((a) => a.ClientStatus === 'complete') ? true : undefined;
  });
  assert.equal(driver.running().length, 0);
  const stopped = (await cluster.api.jobs.allocations('svc')).data[0];
  const st = (await cluster.api.allocations.info(stopped?.ID ?? '')).data.TaskStates?.['t'];
  assert.deepEqual(st?.Events?.slice(-3).map((e) => e.Type), ['Killing', 'Terminated', 'Killed']);
});

test('a failing task ends its allocation failed and the server reschedules it', async (t) => {
  const cluster = await startServer();
  const driver = new FakeDriver('fake');
  const client = new Client(clientConfig(cluster, driver));
  t.after(async () => {
    await client.stop();
    await cluster.close();
    driver.close();
  });
  await client.start();
  const job = fakeJob('flaky', 1, { run_for_ms: 5, exit_code: 1 });
  const group = job.TaskGroups[0];
  if (group) group.ReschedulePolicy = { Attempts: 1, Interval: 3600 * SECOND, Delay: 5 * SECOND, DelayFunction: 'constant', MaxDelay: 0, Unlimited: false };
  await cluster.api.jobs.register(job);
  const allocs = await waitFor(
    'failed and rescheduled',
    async () => {
      const list = (await cluster.api.jobs.allocations('flaky')).data;
      return list.length >= 2 && list.some((a) => a.ClientStatus === 'failed') ? list : undefined;
    },
    20_000,
  );
  const failed = allocs.find((a) => a.ClientStatus === 'failed');
  const info = (await cluster.api.allocations.info(failed?.ID ?? '')).data;
  const events = info.TaskStates?.['t']?.Events ?? [];
  assert.equal(events.at(-1)?.Type, 'Not Restarting');
  assert.equal(events.at(-1)?.DisplayMessage, 'Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"');
  assert.ok(events.some((e) => e.Type === 'Restarting'));
  assert.equal(info.TaskStates?.['t']?.Restarts, 1);
});

test('a persistent client restarts without restarting its tasks', async (t) => {
  const cluster = await startServer();
  const driver = new FakeDriver('fake');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roam-client-'));
  const cfg = clientConfig(cluster, driver, { devMode: false, stateDir: path.join(dir, 'client'), allocDir: path.join(dir, 'alloc') });
  let client = new Client(cfg);
  t.after(async () => {
    await client.stop();
    await cluster.close();
    driver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await client.start();
  const nodeID = client.nodeID;
  await cluster.api.jobs.register(fakeJob('keep', 2, {}));
  await waitFor('2 running', async () => ((await cluster.api.jobs.allocations('keep')).data.filter((a) => a.ClientStatus === 'running').length === 2 ? true : undefined));
  const pids = driver.running().map((r) => r.pid).sort();
  await client.stop();
  assert.equal(driver.running().length, 2, 'stopping a client leaves its tasks running');

  client = new Client(cfg);
  await client.start();
  assert.equal(client.nodeID, nodeID, 'the node keeps its ID');
  assert.equal(client.allocRunners().length, 2);
  await client.registered();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(driver.started.length, 2, 'no duplicate task');
  assert.deepEqual(driver.running().map((r) => r.pid).sort(), pids);
  for (const ar of client.allocRunners()) assert.equal(ar.taskStates()['t']?.Events?.filter((e) => e.Type === 'Started').length, 1);
  const allocs = (await cluster.api.jobs.allocations('keep')).data;
  assert.ok(allocs.every((a) => a.ClientStatus === 'running'));
  // A task that dies now is reported and restarted per policy by the restored runner.
  const first = driver.running()[0];
  first?.finish({ exitCode: 9, signal: 0, oomKilled: false });
  await waitFor('restarted', async () => (driver.started.length === 3 ? true : undefined));
});

test('a client with an unreachable server keeps retrying and registers once the server is up', async (t) => {
  const cluster = await startServer();
  const driver = new FakeDriver('fake');
  const client = new Client(clientConfig(cluster, driver, { servers: ['127.0.0.1:1', cluster.agent.httpAddress] }));
  t.after(async () => {
    await client.stop();
    await cluster.close();
    driver.close();
  });
  await client.start();
  await client.registered();
  await waitFor('node ready', async () => ((await cluster.api.nodes.info(client.nodeID)).data.Status === 'ready' ? true : undefined));
});
