import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { nomadCheckID } from '../../structs/checks.js';
import { nullLogger } from '../../structs/logger.js';
import { mockAlloc, mockJob, mockNode, mockService, mockServiceCheck, mockTask, mockTaskGroup } from '../../structs/mock.js';
import { ChecksHook } from './hook.js';
import { CheckStore } from './store.js';

async function until<T>(what: string, fn: () => T | undefined, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('group and task checks start pending, run on their interval, follow in-place updates, and are purged at preKill', async () => {
  let healthy = true;
  const server = http.createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end(healthy ? '' : 'down'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const fast = { Interval: 100e6, Timeout: 1e9 };
    const groupCheck = mockServiceCheck({ Name: 'group-${NOMAD_GROUP_NAME}', TaskName: '', ...fast });
    const taskCheck = mockServiceCheck({ Name: 'tcp', Type: 'tcp', Path: '', OnUpdate: 'ignore', ...fast });
    const job = mockJob({ ID: 'web' });
    const group = mockTaskGroup({
      Name: 'g',
      Services: [mockService({ Name: 'front', PortLabel: 'http', Checks: [groupCheck] }), mockService({ Name: 'consul-one', Provider: 'consul', PortLabel: 'http', Checks: [mockServiceCheck({ Name: 'ignored' })] })],
      Tasks: [mockTask({ Name: 'server', Services: [mockService({ Name: 'back', TaskName: 'server', PortLabel: 'http', Checks: [taskCheck] })] })],
    });
    job.TaskGroups = [group];
    const alloc = mockAlloc(job, mockNode());
    alloc.AllocatedResources = { ...alloc.AllocatedResources!, Shared: { ...alloc.AllocatedResources!.Shared, Ports: [{ Label: 'http', Value: port, To: 0, HostIP: '127.0.0.1' }] } };
    const store = new CheckStore();
    const hook = new ChecksHook({ store, node: () => mockNode(), region: 'global' });
    const ctx = { alloc, logger: nullLogger };
    await hook.prerun(ctx);
    const groupID = nomadCheckID(alloc.ID, 'g', { ...groupCheck, Name: 'group-g' });
    const taskID = nomadCheckID(alloc.ID, 'g', taskCheck);
    const first = store.list(alloc.ID) ?? {};
    assert.deepEqual(Object.keys(first).sort(), [groupID, taskID].sort(), 'one result per nomad check, consul checks left out');
    assert.equal(first[groupID]?.Status, 'pending');
    assert.equal(first[groupID]?.Output, 'nomad: waiting to run');

    const ok = await until('checks pass', () => {
      const r = store.list(alloc.ID) ?? {};
      return r[groupID]?.Status === 'success' && r[taskID]?.Status === 'success' ? r : undefined;
    });
    assert.deepEqual(ok[groupID], { ID: groupID, Mode: 'healthiness', Status: 'success', StatusCode: 200, Output: 'nomad: http ok', Timestamp: ok[groupID]?.Timestamp, Group: alloc.Name, Service: 'front', Check: 'group-g' });
    assert.equal(ok[taskID]?.Task, 'server');
    assert.equal(ok[taskID]?.Mode, 'readiness');

    healthy = false;
    const failed = await until('http check fails', () => (store.list(alloc.ID)?.[groupID]?.Status === 'failure' ? store.list(alloc.ID)?.[groupID] : undefined));
    assert.equal(failed.StatusCode, 500);
    assert.equal(failed.Output, 'down');

    // An in-place update without the task's service drops its check.
    const job2 = structuredClone(job);
    job2.TaskGroups[0]!.Tasks[0]!.Services = null;
    await hook.update({ alloc: { ...alloc, Job: job2 }, logger: nullLogger });
    assert.deepEqual(Object.keys(store.list(alloc.ID) ?? {}), [groupID]);

    await hook.preKill(ctx);
    assert.equal(store.list(alloc.ID), null);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
