// The server end to end in one process: jobs registered through the API are scheduled onto
// simulated nodes; stopping, purging, node failure, placement failure and capacity changes behave
// as they do in Nomad.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/index.js';
import { mockBatchJob, mockJob, mockTaskGroup, mockTask, mockResources } from '../../src/structs/mock.js';
import type { Job } from '../../src/structs/job.js';
import { addNode, startServer, waitFor, type SimNode, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
let n1: SimNode;

before(async () => {
  c = await startServer({ server: { minHeartbeatTTL: 300, heartbeatGrace: 300, failoverHeartbeatTTL: 2_000 } });
  n1 = await addNode(c);
});

after(async () => {
  n1?.stopHeartbeats();
  await c?.close();
});

function job(id: string, count: number, over: Partial<Job> = {}): Job {
  return mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Name: 'web', Count: count, Tasks: [mockTask({ Name: 'web', Resources: mockResources({ CPU: 100, MemoryMB: 64 }) })] })], ...over });
}

async function evalDone(evalID: string): Promise<void> {
  await waitFor(`eval ${evalID} to finish`, async () => {
    const e = (await c.api.evaluations.info(evalID)).data;
    return e.Status === 'complete' || e.Status === 'failed' ? e : undefined;
  });
}

test('a registered service job is placed with stable alloc names and a complete evaluation', async () => {
  const r = (await c.api.jobs.register(job('web-a', 3))).data;
  assert.ok(r.EvalID);
  assert.ok(r.JobModifyIndex > 0);
  await evalDone(r.EvalID);
  const allocs = (await c.api.jobs.allocations('web-a')).data;
  assert.equal(allocs.length, 3);
  assert.deepEqual(allocs.map((a) => a.Name).sort(), ['web-a.web[0]', 'web-a.web[1]', 'web-a.web[2]']);
  assert.ok(allocs.every((a) => a.NodeID === n1.node.ID && a.DesiredStatus === 'run' && a.ClientStatus === 'pending'));
  const ev = (await c.api.evaluations.info(r.EvalID)).data;
  assert.equal(ev.Status, 'complete');
  assert.equal(ev.TriggeredBy, 'job-register');
  const j = (await c.api.jobs.info('web-a')).data;
  assert.equal(j.Status, 'running');
  assert.equal(j.Version, 0);
});

test('re-registering an unchanged job makes a new evaluation but no new version', async () => {
  const first = (await c.api.jobs.info('web-a')).data;
  const r = (await c.api.jobs.register(job('web-a', 3))).data;
  await evalDone(r.EvalID);
  const again = (await c.api.jobs.info('web-a')).data;
  assert.equal(again.Version, first.Version);
  assert.equal(again.JobModifyIndex, first.JobModifyIndex);
  assert.equal((await c.api.jobs.allocations('web-a')).data.length, 3);
});

test('shrinking count stops the highest indexes and bumps the version', async () => {
  const r = (await c.api.jobs.register(job('web-a', 1))).data;
  await evalDone(r.EvalID);
  const allocs = (await c.api.jobs.allocations('web-a')).data;
  const running = allocs.filter((a) => a.DesiredStatus === 'run').map((a) => a.Name);
  assert.deepEqual(running, ['web-a.web[0]']);
  assert.ok(allocs.filter((a) => a.DesiredStatus === 'stop').every((a) => a.DesiredDescription === 'alloc not needed due to job update'));
  const versions = (await c.api.jobs.versions('web-a')).data.Versions.map((v) => v.Version);
  assert.deepEqual(versions, [1, 0]);
});

test('-check-index semantics: stale or unexpected indexes are rejected and nothing changes', async () => {
  const cur = (await c.api.jobs.info('web-a')).data;
  await assert.rejects(c.api.jobs.register(job('web-a', 2), { enforceIndex: true, jobModifyIndex: cur.JobModifyIndex - 1 }), (e: unknown) => e instanceof ApiError && e.status === 409 && /conflicting job modify index/.test(e.body));
  await assert.rejects(c.api.jobs.register(job('brand-new', 1), { enforceIndex: true, jobModifyIndex: 5 }), (e: unknown) => e instanceof ApiError && e.status === 409);
  assert.equal((await c.api.jobs.info('web-a')).data.Version, cur.Version);
});

test('an invalid update is rejected with 400 and leaves the running job untouched', async () => {
  const cur = (await c.api.jobs.info('web-a')).data;
  await assert.rejects(c.api.jobs.register(mockBatchJob({ ID: 'web-a', Name: 'web-a', Datacenters: ['*'] })), (e: unknown) => e instanceof ApiError && e.status === 400 && /cannot update job from type "service" to "batch"/.test(e.body));
  await assert.rejects(c.api.jobs.register({ ...job('web-a', 1), TaskGroups: [] }), (e: unknown) => e instanceof ApiError && e.status === 400);
  const after = (await c.api.jobs.info('web-a')).data;
  assert.equal(after.Version, cur.Version);
  assert.equal((await c.api.jobs.allocations('web-a')).data.filter((a) => a.DesiredStatus === 'run').length, 1);
});

test('stop marks the job stopped and stops its allocations; purge removes it', async () => {
  const r = (await c.api.jobs.deregister('web-a', false)).data;
  await evalDone(r.EvalID);
  const j = (await c.api.jobs.info('web-a')).data;
  assert.equal(j.Stop, true);
  assert.ok((await c.api.jobs.allocations('web-a')).data.every((a) => a.DesiredStatus === 'stop'));
  const p = (await c.api.jobs.deregister('web-a', true)).data;
  await evalDone(p.EvalID);
  await assert.rejects(c.api.jobs.info('web-a'), (e: unknown) => e instanceof ApiError && e.status === 404);
});

test('a job that does not fit gets a blocked evaluation that a new node unblocks', async () => {
  const big = job('big', 1, { TaskGroups: [mockTaskGroup({ Name: 'web', Count: 1, Tasks: [mockTask({ Name: 'web', Resources: mockResources({ CPU: 100, MemoryMB: 20_000 }) })] })] });
  const r = (await c.api.jobs.register(big)).data;
  await evalDone(r.EvalID);
  const ev = (await c.api.evaluations.info(r.EvalID)).data;
  assert.ok(ev.FailedTGAllocs?.['web']);
  assert.ok(ev.BlockedEval);
  assert.equal(ev.QueuedAllocations?.['web'], 1);
  const blocked = (await c.api.evaluations.info(ev.BlockedEval)).data;
  assert.equal(blocked.Status, 'blocked');
  const roomy = await addNode(c, { NodeResources: { ...n1.node.NodeResources, Memory: { MemoryMB: 32_000 } } });
  try {
    const placed = await waitFor('the blocked job to be placed', async () => {
      const allocs = (await c.api.jobs.allocations('big')).data;
      return allocs.length === 1 ? allocs : undefined;
    });
    assert.equal(placed[0]?.NodeID, roomy.node.ID);
  } finally {
    roomy.stopHeartbeats();
  }
});

test('a node that stops heartbeating goes down; its allocations are lost and replaced elsewhere', async () => {
  const a = await addNode(c);
  const b = await addNode(c);
  // Only nodes a and b are eligible for this job.
  const j = job('ha', 2, { Constraints: [{ LTarget: '${node.unique.id}', RTarget: `${a.node.ID},${b.node.ID}`, Operand: 'set_contains_any' }] });
  const r = (await c.api.jobs.register(j)).data;
  await evalDone(r.EvalID);
  const onA = (await c.api.jobs.allocations('ha')).data.filter((x) => x.NodeID === a.node.ID);
  assert.ok(onA.length >= 1);
  a.stopHeartbeats();
  const node = await waitFor('node a to be marked down', async () => {
    const n = (await c.api.nodes.info(a.node.ID)).data;
    return n.Status === 'down' ? n : undefined;
  });
  assert.equal(node.Events?.at(-1)?.Message, 'Node heartbeat missed');
  await waitFor('replacements on node b', async () => {
    const allocs = (await c.api.jobs.allocations('ha')).data;
    const lost = allocs.filter((x) => x.NodeID === a.node.ID);
    const live = allocs.filter((x) => x.NodeID === b.node.ID && x.DesiredStatus === 'run');
    return lost.every((x) => x.ClientStatus === 'lost' && x.DesiredStatus === 'stop') && live.length === 2 ? true : undefined;
  });
  b.stopHeartbeats();
});

test('a failed batch allocation reported by the client is rescheduled per policy', async () => {
  const bj = mockBatchJob({ ID: 'batchy', Name: 'batchy', Datacenters: ['*'], Constraints: [{ LTarget: '${node.unique.id}', RTarget: n1.node.ID, Operand: '=' }] });
  const r = (await c.api.jobs.register(bj)).data;
  await evalDone(r.EvalID);
  const [first] = (await c.api.jobs.allocations('batchy')).data;
  assert.ok(first);
  await n1.api.internal.updateAllocations(n1.node.ID, [{ ID: first.ID, ClientStatus: 'failed', ClientDescription: 'Failed tasks' }]);
  // Batch reschedule policy: 1 attempt after a 5 s delay — a follow-up eval waits for it.
  const updated = await waitFor('a follow-up evaluation', async () => {
    const a = (await c.api.allocations.info(first.ID)).data;
    return a.FollowupEvalID ? a : undefined;
  });
  const follow = (await c.api.evaluations.info(updated.FollowupEvalID)).data;
  assert.equal(follow.TriggeredBy, 'alloc-failure');
  assert.notEqual(follow.WaitUntil, '0001-01-01T00:00:00Z');
});

test('system gc removes a purged job\'s evaluations and allocations', async () => {
  const r = (await c.api.jobs.register(job('tmp', 1))).data;
  await evalDone(r.EvalID);
  const allocs = (await c.api.jobs.allocations('tmp')).data;
  await n1.api.internal.updateAllocations(n1.node.ID, allocs.map((a) => ({ ID: a.ID, ClientStatus: 'running' })));
  const stop = (await c.api.jobs.deregister('tmp', true)).data;
  await evalDone(stop.EvalID);
  await n1.api.internal.updateAllocations(n1.node.ID, allocs.map((a) => ({ ID: a.ID, ClientStatus: 'complete' })));
  await c.api.system.gc();
  await assert.rejects(c.api.evaluations.info(r.EvalID), (e: unknown) => e instanceof ApiError && e.status === 404);
  for (const a of allocs) await assert.rejects(c.api.allocations.info(a.ID), (e: unknown) => e instanceof ApiError && e.status === 404);
});
