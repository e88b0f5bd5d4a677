// Harness tests of the system and sysbatch schedulers: one alloc per feasible node, new nodes,
// ineligible and down nodes, constraint-filtered nodes skipped, exhausted nodes reported, and
// completed sysbatch allocations left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from '../structs/index.js';
import { mockJob, mockTaskState } from '../structs/mock.js';
import { Harness } from './harness.js';
import { NOW, evalFor, nodes, placed, stopped } from './testing.js';

function systemJob(type = 'system'): Job {
  const job = mockJob({ ID: 'sys', Type: type });
  job.TaskGroups[0]!.Count = 1;
  return job;
}

async function placeOnAll(job: Job, n: number): Promise<Harness> {
  const h = new Harness({ jobs: [job], nodes: nodes(n) }, { now: NOW });
  await h.process(job.Type, evalFor(job));
  return h;
}

describe('system scheduler', () => {
  it('places one allocation on every ready node', async () => {
    const h = await placeOnAll(systemJob(), 5);
    const allocs = placed(h.plans[0]);
    assert.equal(allocs.length, 5);
    assert.equal(new Set(allocs.map((a) => a.NodeID)).size, 5);
    assert.ok(allocs.every((a) => a.Name === 'sys.web[0]'));
    assert.equal(h.lastEval()?.Status, 'complete');
  });

  it('a new node gets an allocation; existing ones are left alone', async () => {
    const h = await placeOnAll(systemJob(), 3);
    h.state.upsertNode(nodes(4)[3]!);
    const job = h.state.jobByID('default', 'sys')!;
    await h.process('system', evalFor(job, { TriggeredBy: 'node-update', AnnotatePlan: true }));
    assert.equal(placed(h.plans[1]).length, 1);
    assert.equal(placed(h.plans[1])[0]?.NodeID, nodes(4)[3]!.ID);
    assert.equal(h.plans[1]?.Annotations?.DesiredTGUpdates['web']?.Ignore, 3);
  });

  it('allocations on ineligible nodes stop, on infeasible nodes are replaced by nothing, on down nodes are lost', async () => {
    const h = await placeOnAll(systemJob(), 3);
    const [n0, n1, n2] = nodes(3);
    h.state.upsertNode({ ...n0!, NodeClass: 'other', Attributes: { ...n0!.Attributes, 'kernel.name': 'darwin' } });
    h.state.upsertNode({ ...n1!, Status: 'down' });
    h.state.upsertNode({ ...n2!, SchedulingEligibility: 'ineligible' });
    const job = { ...h.state.jobByID('default', 'sys')!, Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }], JobModifyIndex: 100 };
    h.state.upsertJob(job);
    await h.process('system', evalFor(job, { TriggeredBy: 'node-update' }));
    const stops = stopped(h.plans[1]);
    assert.equal(stops.find((a) => a.NodeID === n1!.ID)?.ClientStatus, 'lost');
    assert.equal(stops.find((a) => a.NodeID === n2!.ID)?.DesiredDescription, 'alloc not needed due to job update');
    assert.equal(stops.find((a) => a.NodeID === n0!.ID)?.DesiredDescription, 'alloc is being updated due to job update');
    assert.equal(placed(h.plans[1]).length, 0);
  });

  it('constraint-filtered nodes are skipped silently, exhausted nodes are reported', async () => {
    const job = systemJob();
    job.Constraints = [{ LTarget: '${meta.role}', RTarget: 'edge', Operand: '=' }];
    const ns = nodes(4).map((n, i) => ({ ...n, Meta: { ...n.Meta, role: i < 3 ? 'edge' : 'core' } }));
    ns[0] = { ...ns[0]!, NodeResources: { ...ns[0]!.NodeResources, Memory: { MemoryMB: 300 } } };
    const h = new Harness({ jobs: [job], nodes: ns }, { now: NOW });
    await h.process('system', evalFor(job));
    assert.equal(placed(h.plans[0]).length, 2);
    const m = h.lastEval()?.FailedTGAllocs?.['web'];
    assert.equal(m?.NodesExhausted, 1);
    assert.equal(m?.ConstraintFiltered, null);
    const blocked = h.createdEvals.find((e) => e.Status === 'blocked');
    assert.equal(blocked?.NodeID, ns[0]!.ID);
  });

  it('reports constraint filtering when no node at all is feasible', async () => {
    const job = systemJob();
    job.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }];
    const ns = nodes(2).map((n, i) => ({ ...n, Meta: { ...n.Meta, rack: String(i) } }));
    const h = new Harness({ jobs: [job], nodes: ns }, { now: NOW });
    await h.process('system', evalFor(job));
    assert.deepEqual(h.lastEval()?.FailedTGAllocs?.['web']?.ConstraintFiltered, { '${attr.kernel.name} = windows': 2 });
  });

  it('a stopped system job stops everything', async () => {
    const h = await placeOnAll(systemJob(), 2);
    h.state.upsertJob({ ...h.state.jobByID('default', 'sys')!, Stop: true });
    await h.process('system', evalFor(h.state.jobByID('default', 'sys')!, { TriggeredBy: 'job-deregister' }));
    assert.equal(stopped(h.plans[1]).length, 2);
  });
});

describe('sysbatch scheduler', () => {
  it('completed allocations stay complete and are not placed again', async () => {
    const job = systemJob('sysbatch');
    const h = await placeOnAll(job, 2);
    for (const a of h.state.allocsByJob('default', 'sys', true)) h.state.upsertAlloc({ ...a, ClientStatus: 'complete', TaskStates: { web: mockTaskState({ State: 'dead', Failed: false }) } });
    await h.process('sysbatch', evalFor(job, { TriggeredBy: 'node-update' }));
    assert.equal(h.plans.length, 1);
    assert.equal(h.lastEval()?.Status, 'complete');
  });

  it('a new node still gets one', async () => {
    const job = systemJob('sysbatch');
    const h = await placeOnAll(job, 2);
    for (const a of h.state.allocsByJob('default', 'sys', true)) h.state.upsertAlloc({ ...a, ClientStatus: 'complete', TaskStates: { web: mockTaskState({ State: 'dead', Failed: false }) } });
    h.state.upsertNode(nodes(3)[2]!);
    await h.process('sysbatch', evalFor(job, { TriggeredBy: 'node-update' }));
    assert.equal(placed(h.plans[1]).length, 1);
  });
});
