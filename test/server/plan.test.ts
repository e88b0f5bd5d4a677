// The plan endpoint in one process: PUT /v1/job/:id/plan dry-runs the scheduler for a submitted
// job against the live cluster and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/index.js';
import type { JobPlanResponse } from '../../src/api/jobs.js';
import { mockJob, mockResources, mockTask, mockTaskGroup } from '../../src/structs/mock.js';
import type { Job } from '../../src/structs/job.js';
import { addNode, startServer, waitFor, type SimNode, type TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
let n1: SimNode;

before(async () => {
  c = await startServer();
  n1 = await addNode(c);
});

after(async () => {
  n1?.stopHeartbeats();
  await c?.close();
});

function job(id: string, count: number, edit: (j: Job) => void = () => undefined): Job {
  const j = mockJob({ ID: id, Name: id, Datacenters: ['*'], TaskGroups: [mockTaskGroup({ Name: 'web', Count: count, Tasks: [mockTask({ Name: 'web', Resources: mockResources({ CPU: 100, MemoryMB: 64 }) })] })] });
  edit(j);
  return j;
}

async function register(j: Job): Promise<void> {
  const r = (await c.api.jobs.register(j)).data;
  await waitFor(`eval ${r.EvalID}`, async () => {
    const e = (await c.api.evaluations.info(r.EvalID)).data;
    return e.Status === 'complete' ? e : undefined;
  });
}

const updates = (r: JobPlanResponse): Record<string, number> => {
  const u = r.Annotations?.DesiredTGUpdates['web'];
  assert.ok(u, 'annotations for group web');
  return { Place: u.Place, Stop: u.Stop, Ignore: u.Ignore, InPlaceUpdate: u.InPlaceUpdate, DestructiveUpdate: u.DestructiveUpdate };
};

test('planning a new job: every allocation is a placement, the diff is Added, the modify index is 0', async () => {
  const r = (await c.api.jobs.plan(job('plan-new', 3), true)).data;
  assert.deepEqual(updates(r), { Place: 3, Stop: 0, Ignore: 0, InPlaceUpdate: 0, DestructiveUpdate: 0 });
  assert.equal(r.JobModifyIndex, 0);
  assert.equal(r.FailedTGAllocs, null);
  assert.equal(r.Diff?.Type, 'Added');
  assert.deepEqual(r.Diff?.TaskGroups[0]?.Updates, { create: 3 });
  assert.equal(r.Diff?.TaskGroups[0]?.Tasks[0]?.Annotations[0], 'forces create');
  await assert.rejects(c.api.jobs.info('plan-new'), (e: unknown) => e instanceof ApiError && e.status === 404);
  assert.equal((await c.api.evaluations.list()).data.filter((e) => e.JobID === 'plan-new').length, 0);
});

test('without Diff the response carries no diff', async () => {
  const r = (await c.api.jobs.plan(job('plan-new', 3), false)).data;
  assert.equal(r.Diff, null);
  assert.equal(updates(r).Place, 3);
});

test('count changes plan placements and stops, annotated "forces create" / "forces destroy"', async () => {
  await register(job('plan-count', 2));
  const current = (await c.api.jobs.info('plan-count')).data;
  const up = (await c.api.jobs.plan(job('plan-count', 4), true)).data;
  assert.equal(up.JobModifyIndex, current.JobModifyIndex);
  // As in Nomad, the allocations of the previous version move to the new one in place.
  assert.deepEqual(updates(up), { Place: 2, Stop: 0, Ignore: 0, InPlaceUpdate: 2, DestructiveUpdate: 0 });
  const count = up.Diff?.TaskGroups[0]?.Fields.find((f) => f.Name === 'Count');
  assert.deepEqual(count, { Type: 'Edited', Name: 'Count', Old: '2', New: '4', Annotations: ['forces create'] });
  const down = (await c.api.jobs.plan(job('plan-count', 1), true)).data;
  assert.deepEqual(updates(down), { Place: 0, Stop: 1, Ignore: 0, InPlaceUpdate: 1, DestructiveUpdate: 0 });
  assert.deepEqual(down.Diff?.TaskGroups[0]?.Fields[0]?.Annotations, ['forces destroy']);
});

test('an unchanged job plans to ignore every allocation and diffs to None', async () => {
  const r = (await c.api.jobs.plan(job('plan-count', 2), true)).data;
  assert.deepEqual(updates(r), { Place: 0, Stop: 0, Ignore: 2, InPlaceUpdate: 0, DestructiveUpdate: 0 });
  assert.equal(r.Diff?.Type, 'None');
});

test('a task config change is a destructive update (max_parallel 1 at a time); a kill timeout change is in place', async () => {
  const cfg = (await c.api.jobs.plan(job('plan-count', 2, (j) => (j.TaskGroups[0]!.Tasks[0]!.Config = { run_for: '20s' })), true)).data;
  assert.deepEqual(updates(cfg), { Place: 0, Stop: 0, Ignore: 1, InPlaceUpdate: 0, DestructiveUpdate: 1 });
  const task = cfg.Diff?.TaskGroups[0]?.Tasks[0];
  assert.deepEqual(task?.Annotations, ['forces create/destroy update']);
  assert.equal(task?.Objects.find((o) => o.Name === 'Config')?.Fields.find((f) => f.Name === 'run_for')?.New, '20s');
  const kill = (await c.api.jobs.plan(job('plan-count', 2, (j) => (j.TaskGroups[0]!.Tasks[0]!.KillTimeout = 9e9)), true)).data;
  assert.deepEqual(updates(kill), { Place: 0, Stop: 0, Ignore: 0, InPlaceUpdate: 2, DestructiveUpdate: 0 });
  assert.deepEqual(kill.Diff?.TaskGroups[0]?.Tasks[0]?.Annotations, ['forces in-place update']);
});

test('a meta-only change replaces allocations, as Nomad compares the combined task meta', async () => {
  const r = (await c.api.jobs.plan(job('plan-count', 2, (j) => (j.Meta = { team: 'a' })), true)).data;
  assert.deepEqual(updates(r), { Place: 0, Stop: 0, Ignore: 1, InPlaceUpdate: 0, DestructiveUpdate: 1 });
  assert.deepEqual(r.Diff?.Fields.map((f) => [f.Type, f.Name, f.New]), [['Added', 'Meta[team]', 'a']]);
});

test('an infeasible job reports FailedTGAllocs with the constraint that filtered the nodes', async () => {
  const r = (await c.api.jobs.plan(job('plan-infeasible', 1, (j) => (j.Constraints = [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }])), true)).data;
  const m = r.FailedTGAllocs?.['web'];
  assert.ok(m, 'placement failure for web');
  assert.equal(m.NodesEvaluated, 1);
  assert.deepEqual(m.ConstraintFiltered, { '${attr.kernel.name} = windows': 1 });
  assert.equal(r.CreatedEvals?.length, 1, 'the blocked evaluation the scheduler would create');
});

test('planning writes nothing: the job version, allocations and evaluations are unchanged', async () => {
  const before = (await c.api.jobs.info('plan-count')).data;
  const allocs = (await c.api.jobs.allocations('plan-count')).data.map((a) => `${a.ID}:${a.ModifyIndex}`).sort();
  const evals = (await c.api.jobs.evaluations('plan-count')).data.length;
  await c.api.jobs.plan(job('plan-count', 7, (j) => (j.TaskGroups[0]!.Tasks[0]!.Config = { run_for: '30s' })), true);
  const after = (await c.api.jobs.info('plan-count')).data;
  assert.equal(after.Version, before.Version);
  assert.equal(after.JobModifyIndex, before.JobModifyIndex);
  assert.equal(after.TaskGroups[0]?.Count, 2);
  assert.deepEqual((await c.api.jobs.allocations('plan-count')).data.map((a) => `${a.ID}:${a.ModifyIndex}`).sort(), allocs);
  assert.equal((await c.api.jobs.evaluations('plan-count')).data.length, evals);
});

test('an invalid job is a 400 and a mismatched ID in the path is rejected', async () => {
  await assert.rejects(c.api.jobs.plan(job('plan-bad', -1), true), (e: unknown) => e instanceof ApiError && e.status === 400);
  const res = await fetch(`${c.address}/v1/job/other/plan`, { method: 'PUT', body: JSON.stringify({ Job: job('plan-x', 1), Diff: true }) });
  assert.equal(res.status, 400);
});

test('versions?diffs=true diffs each version against the one before it', async () => {
  await register(job('plan-count', 3));
  const v = (await c.api.jobs.versions('plan-count', true)).data;
  assert.equal(v.Versions.length, 2);
  assert.equal(v.Diffs?.length, 1);
  assert.deepEqual(v.Diffs?.[0]?.TaskGroups[0]?.Fields.find((f) => f.Name === 'Count'), { Type: 'Edited', Name: 'Count', Old: '2', New: '3', Annotations: [] });
  assert.equal((await c.api.jobs.versions('plan-count')).data.Diffs, null);
});
