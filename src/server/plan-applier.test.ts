import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryKv } from '../state/backends/memory.js';
import { keys, storedAlloc } from '../state/schema.js';
import { StateStore } from '../state/state-store.js';
import { makePlan } from '../scheduler/planner.js';
import { nullLogger } from '../structs/logger.js';
import { mockAlloc, mockEval, mockJob, mockNode } from '../structs/mock.js';
import type { Node } from '../structs/node.js';
import type { Allocation } from '../structs/alloc.js';
import { evaluateNodePlan, PlanApplier } from './plan-applier.js';
import { put, StateWriter } from './state-writer.js';

async function setup(nodes: Node[], allocs: Allocation[] = []) {
  const kv = openMemoryKv();
  const store = new StateStore(kv, nullLogger);
  await store.start();
  const writer = new StateWriter(kv, store);
  await writer.txn(() => ({ ops: [...nodes.map((n) => put(keys.node(n.ID), n)), ...allocs.map((a) => put(keys.alloc(a.ID), storedAlloc(a)))], result: null }));
  return { kv, store, writer, applier: new PlanApplier(writer, nullLogger, () => 1_700_000_000_000), close: async () => { await store.stop(); await kv.close(); } };
}

const job = mockJob();

test('a plan that fits is committed in full', async () => {
  const n = mockNode();
  const s = await setup([n]);
  const plan = makePlan(mockEval(), job, 1);
  const a = mockAlloc(job, n);
  plan.NodeAllocation[n.ID] = [a];
  const r = await s.applier.apply(plan);
  assert.deepEqual(r.RejectedNodes, []);
  assert.equal(r.RefreshIndex, 0);
  const stored = s.store.snapshot().alloc(a.ID);
  assert.equal(stored?.Job?.ID, job.ID, 'the job version is stored once and resolved for the allocation');
  assert.equal(stored?.AllocModifyIndex, r.AllocIndex);
  await s.close();
});

test('a node that is down, missing, ineligible or draining is rejected and the scheduler is told to refresh', async () => {
  const down = mockNode({ Status: 'down' });
  const inel = mockNode({ SchedulingEligibility: 'ineligible' });
  const ok = mockNode();
  const s = await setup([down, inel, ok]);
  const plan = makePlan(mockEval(), job, 1);
  for (const n of [down, inel, ok]) plan.NodeAllocation[n.ID] = [mockAlloc(job, n)];
  plan.NodeAllocation['missing-node'] = [mockAlloc(job, mockNode({ ID: 'missing-node' }))];
  const snap = s.store.snapshot();
  assert.equal(evaluateNodePlan(snap, plan, down.ID).reason, 'node is down');
  assert.equal(evaluateNodePlan(snap, plan, inel.ID).reason, 'node is not eligible');
  assert.equal(evaluateNodePlan(snap, plan, 'missing-node').reason, 'node does not exist');
  const r = await s.applier.apply(plan);
  assert.deepEqual(r.RejectedNodes.sort(), [down.ID, inel.ID, 'missing-node'].sort());
  assert.ok(r.RefreshIndex > 0);
  assert.deepEqual(Object.keys(r.NodeAllocation), [ok.ID]);
  await s.close();
});

test('placements that overflow a node (resources or ports) are rejected against the latest state', async () => {
  const n = mockNode();
  // Something already uses most of the node's memory (8192 MB − 256 reserved).
  const existing = mockAlloc(job, n, { AllocatedResources: { Tasks: { web: { Cpu: { CpuShares: 100, ReservedCores: null }, Memory: { MemoryMB: 7800, MemoryMaxMB: 0 }, Networks: null, Devices: null } }, TaskLifecycles: {}, Shared: { Networks: null, DiskMB: 0, Ports: [{ Label: 'http', Value: 8080, To: 0, HostIP: '192.168.0.100' }] } } });
  const s = await setup([n], [existing]);
  const plan = makePlan(mockEval(), job, 1);
  plan.NodeAllocation[n.ID] = [mockAlloc(job, n)];
  assert.equal(evaluateNodePlan(s.store.snapshot(), plan, n.ID).reason, 'resources exhausted: memory');
  const portPlan = makePlan(mockEval(), job, 1);
  portPlan.NodeAllocation[n.ID] = [mockAlloc(job, n, { AllocatedResources: { Tasks: {}, TaskLifecycles: {}, Shared: { Networks: null, DiskMB: 0, Ports: [{ Label: 'web', Value: 8080, To: 0, HostIP: '192.168.0.100' }] } } })];
  assert.match(evaluateNodePlan(s.store.snapshot(), portPlan, n.ID).reason, /port collision web=8080/);
  // Stopping the existing allocation in the same plan frees both.
  const both = makePlan(mockEval(), job, 1);
  both.NodeUpdate[n.ID] = [{ ...existing, DesiredStatus: 'stop' }];
  both.NodeAllocation[n.ID] = [...(portPlan.NodeAllocation[n.ID] ?? []), mockAlloc(job, n)];
  assert.equal(evaluateNodePlan(s.store.snapshot(), both, n.ID).fits, true);
  await s.close();
});

test('stops keep what the client reported and mark lost allocations; a replacement links its predecessor', async () => {
  const n = mockNode();
  const old = mockAlloc(job, n, { ClientStatus: 'running' });
  const s = await setup([n], [old]);
  const plan = makePlan(mockEval(), job, 1);
  plan.NodeUpdate[n.ID] = [{ ...old, DesiredStatus: 'stop', DesiredDescription: 'alloc is lost since its node is down', ClientStatus: 'lost' }];
  const n2 = mockNode();
  await s.writer.txn(() => ({ ops: [put(keys.node(n2.ID), n2)], result: null }));
  const replacement = mockAlloc(job, n2, { PreviousAllocation: old.ID });
  plan.NodeAllocation[n2.ID] = [replacement];
  await s.applier.apply(plan);
  const snap = s.store.snapshot();
  assert.equal(snap.alloc(old.ID)?.ClientStatus, 'lost');
  assert.equal(snap.alloc(old.ID)?.DesiredStatus, 'stop');
  assert.equal(snap.alloc(old.ID)?.NextAllocation, replacement.ID);
  await s.close();
});
