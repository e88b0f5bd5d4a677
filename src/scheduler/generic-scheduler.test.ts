// Harness tests of the service/batch scheduler: names and indexes, shrinking, stopping and
// purging, destructive vs in-place updates, lost and migrating allocations, max_parallel,
// blocked evaluations with metrics, retries on partial commits, and determinism.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Allocation, Job, Node } from '../structs/index.js';
import { allocIndexFromName, isTerminalAlloc } from '../structs/index.js';
import { mockJob, mockNode } from '../structs/mock.js';
import { explainFailures } from './explain.js';
import { Harness } from './harness.js';
import type { Plan } from './planner.js';
import { NOW, evalFor, nodes, placed, running, stopped } from './testing.js';

describe('generic scheduler: placement', () => {
  it('places count allocations named <job>.<group>[i] with indexes 0..count-1', async () => {
    const job = mockJob({ ID: 'web' });
    const h = new Harness({ jobs: [job], nodes: nodes(10) }, { now: NOW });
    await h.process('service', evalFor(job));
    const allocs = placed(h.plans[0]);
    assert.equal(allocs.length, 10);
    assert.deepEqual(allocs.map((a) => a.Name).sort(), Array.from({ length: 10 }, (_, i) => `web.web[${i}]`).sort());
    assert.ok(allocs.every((a) => a.DesiredStatus === 'run' && a.ClientStatus === 'pending' && a.Job === job));
    const ev = h.lastEval();
    assert.equal(ev?.Status, 'complete');
    assert.deepEqual(ev?.QueuedAllocations, { web: 0 });
    assert.equal(h.plans[0]?.Annotations, null);
  });

  it('reuses the lowest free index when filling a gap', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 3;
    const ns = nodes(3);
    const allocs = running(job, ns, 3).filter((a) => a.Name !== 'web.web[1]');
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job));
    assert.deepEqual(placed(h.plans[0]).map((a) => a.Name), ['web.web[1]']);
  });

  it('shrinking the count stops the highest indexes with "alloc not needed due to job update"', async () => {
    const job = mockJob({ ID: 'web' });
    const ns = nodes(5);
    const allocs = running(job, ns, 10);
    const smaller = { ...job, TaskGroups: [{ ...job.TaskGroups[0]!, Count: 7 }], JobModifyIndex: job.JobModifyIndex };
    const h = new Harness({ jobs: [smaller], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(smaller, { AnnotatePlan: true }));
    const stops = stopped(h.plans[0]);
    assert.deepEqual(stops.map((a) => allocIndexFromName(a.Name)).sort(), [7, 8, 9]);
    assert.ok(stops.every((a) => a.DesiredStatus === 'stop' && a.DesiredDescription === 'alloc not needed due to job update'));
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.Stop, 3);
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.Ignore, 7);
  });

  it('a stopped job stops every non-terminal allocation', async () => {
    const job = mockJob({ ID: 'web', Stop: true });
    const ns = nodes(2);
    const allocs = running(job, ns, 4);
    allocs[3] = { ...allocs[3]!, ClientStatus: 'complete', DesiredStatus: 'stop' };
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'job-deregister', AnnotatePlan: true }));
    assert.equal(stopped(h.plans[0]).length, 3);
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.Stop, 3);
  });

  it('a purged job (nil) stops all its allocations, lost ones as lost', async () => {
    const job = mockJob({ ID: 'web' });
    const ns = nodes(2);
    const down = { ...ns[1]!, Status: 'down' as const };
    const allocs = running(job, [ns[0]!, down], 2);
    const h = new Harness({ jobs: [], nodes: [ns[0]!, down], allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'job-deregister' }));
    const stops = stopped(h.plans[0]);
    assert.equal(stops.length, 2);
    assert.equal(h.plans[0]?.Job, job);
    const lost = stops.find((a) => a.NodeID === down.ID);
    assert.equal(lost?.ClientStatus, 'lost');
    assert.equal(lost?.DesiredDescription, 'alloc is lost since its node is down');
  });

  it('is deterministic: the same inputs and seed give the same plan', async () => {
    const run = async (): Promise<Plan | undefined> => {
      const job = mockJob({ ID: 'web' });
      const h = new Harness({ jobs: [job], nodes: nodes(20) }, { now: NOW, seed: 7 });
      await h.process('service', evalFor(job));
      return h.plans[0];
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a?.NodeAllocation, b?.NodeAllocation);
  });
});

describe('generic scheduler: updates', () => {
  const base = (): { job: Job; ns: Node[]; allocs: Allocation[] } => {
    const job = mockJob({ ID: 'web', JobModifyIndex: 10 });
    job.TaskGroups[0]!.Count = 3;
    const ns = nodes(3);
    return { job, ns, allocs: running(job, ns, 3) };
  };
  const changed = (job: Job, f: (j: Job) => void): Job => {
    const j = structuredClone(job);
    j.JobModifyIndex = 20;
    j.Version = 1;
    f(j);
    return j;
  };
  const destructiveCases: [string, (j: Job) => void][] = [
    ['driver', (j) => (j.TaskGroups[0]!.Tasks[0]!.Driver = 'raw_exec')],
    ['user', (j) => (j.TaskGroups[0]!.Tasks[0]!.User = 'nobody')],
    ['config', (j) => (j.TaskGroups[0]!.Tasks[0]!.Config = { run_for: '20s' })],
    ['env', (j) => (j.TaskGroups[0]!.Tasks[0]!.Env = { A: 'b' })],
    ['meta', (j) => (j.Meta = { team: 'x' })],
    ['cpu', (j) => (j.TaskGroups[0]!.Tasks[0]!.Resources.CPU = 600)],
    ['memory', (j) => (j.TaskGroups[0]!.Tasks[0]!.Resources.MemoryMB = 512)],
    ['ephemeral disk', (j) => (j.TaskGroups[0]!.EphemeralDisk.SizeMB = 200)],
    ['artifacts', (j) => (j.TaskGroups[0]!.Tasks[0]!.Artifacts = [{ GetterSource: 'http://x', GetterOptions: null, GetterHeaders: null, GetterMode: 'any', GetterInsecure: false, RelativeDest: 'local/', Chown: false }])],
    ['group network ports', (j) => (j.TaskGroups[0]!.Networks = [{ Mode: 'host', Device: '', CIDR: '', IP: '', Hostname: '', MBits: 0, DNS: null, ReservedPorts: null, DynamicPorts: [{ Label: 'http', Value: 0, To: 0, HostNetwork: 'default' }] }])],
  ];
  for (const [field, change] of destructiveCases) {
    it(`a change of task ${field} is a destructive update`, async () => {
      const { job, ns, allocs } = base();
      const j2 = changed(job, change);
      j2.TaskGroups[0]!.Update = { ...j2.Update, MaxParallel: 3 };
      const h = new Harness({ jobs: [j2], nodes: ns, allocs }, { now: NOW });
      await h.process('service', evalFor(j2, { AnnotatePlan: true }));
      const du = h.plans[0]?.Annotations?.DesiredTGUpdates['web'];
      assert.equal(du?.DestructiveUpdate, 3, field);
      assert.equal(du?.InPlaceUpdate, 0);
      assert.ok(stopped(h.plans[0]).every((a) => a.DesiredDescription === 'alloc is being updated due to job update'));
      assert.equal(placed(h.plans[0]).length, 3);
      assert.ok(placed(h.plans[0]).every((a) => a.PreviousAllocation !== ''));
    });
  }
  const inplaceCases: [string, (j: Job) => void][] = [
    ['services', (j) => (j.TaskGroups[0]!.Services = [])],
    ['kill timeout', (j) => (j.TaskGroups[0]!.Tasks[0]!.KillTimeout = 30e9)],
    ['restart policy attempts', (j) => (j.TaskGroups[0]!.RestartPolicy.Attempts = 9)],
    ['update block', (j) => (j.TaskGroups[0]!.Update = { ...j.Update, MaxParallel: 2 })],
  ];
  for (const [field, change] of inplaceCases) {
    it(`a change of ${field} is an in-place update on the same node`, async () => {
      const { job, ns, allocs } = base();
      const j2 = changed(job, change);
      const h = new Harness({ jobs: [j2], nodes: ns, allocs }, { now: NOW });
      await h.process('service', evalFor(j2, { AnnotatePlan: true }));
      const du = h.plans[0]?.Annotations?.DesiredTGUpdates['web'];
      assert.equal(du?.InPlaceUpdate, 3, field);
      assert.equal(du?.DestructiveUpdate, 0);
      assert.equal(stopped(h.plans[0]).length, 0);
      for (const a of placed(h.plans[0])) assert.equal(a.NodeID, allocs.find((x) => x.ID === a.ID)?.NodeID);
    });
  }

  it('a count change alone is neither destructive nor in-place for existing allocations', async () => {
    const { job, ns, allocs } = base();
    const j2 = changed(job, (j) => (j.TaskGroups[0]!.Count = 4));
    const h = new Harness({ jobs: [j2], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(j2, { AnnotatePlan: true }));
    const du = h.plans[0]?.Annotations?.DesiredTGUpdates['web'];
    assert.equal(du?.Place, 1);
    assert.equal(du?.DestructiveUpdate, 0);
  });

  it('destructive updates are limited by update.max_parallel per evaluation', async () => {
    const { job, ns, allocs } = base();
    const j2 = changed(job, (j) => (j.TaskGroups[0]!.Tasks[0]!.Config = { run_for: '1m' }));
    j2.TaskGroups[0]!.Update = { ...j2.Update, MaxParallel: 1 };
    const h = new Harness({ jobs: [j2], nodes: ns, allocs }, { now: NOW });
    await h.process('service', evalFor(j2, { AnnotatePlan: true }));
    const du = h.plans[0]?.Annotations?.DesiredTGUpdates['web'];
    assert.equal(du?.DestructiveUpdate, 1);
    assert.equal(du?.Ignore, 2);
    assert.deepEqual(stopped(h.plans[0]).map((a) => a.Name), ['web.web[0]']);
    assert.deepEqual(placed(h.plans[0]).map((a) => a.Name), ['web.web[0]']);
  });
});

describe('generic scheduler: lost and migrating allocations', () => {
  it('allocations on a down node are stopped as lost and replaced', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 2;
    const ns = nodes(3);
    const down = { ...ns[0]!, Status: 'down' as const };
    const allocs = running(job, [down, ns[1]!], 2);
    const h = new Harness({ jobs: [job], nodes: [down, ns[1]!, ns[2]!], allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'node-update' }));
    const stops = stopped(h.plans[0]);
    assert.equal(stops.length, 1);
    assert.equal(stops[0]?.ClientStatus, 'lost');
    assert.equal(stops[0]?.DesiredDescription, 'alloc is lost since its node is down');
    const repl = placed(h.plans[0]);
    assert.equal(repl.length, 1);
    assert.equal(repl[0]?.Name, stops[0]?.Name);
    assert.equal(repl[0]?.PreviousAllocation, stops[0]?.ID);
    assert.notEqual(repl[0]?.NodeID, down.ID);
  });

  it('allocations on a missing node are lost and replaced', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 1;
    const ghost = mockNode({ ID: 'ghost' });
    const allocs = running(job, [ghost], 1);
    const h = new Harness({ jobs: [job], nodes: nodes(2), allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'node-update' }));
    assert.equal(stopped(h.plans[0])[0]?.ClientStatus, 'lost');
    assert.equal(placed(h.plans[0]).length, 1);
  });

  it('allocations marked for migration are stopped ("alloc is being migrated") and replaced', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 2;
    const ns = nodes(3);
    const draining = { ...ns[0]!, SchedulingEligibility: 'ineligible' as const, DrainStrategy: { DrainSpec: { Deadline: 0, IgnoreSystemJobs: false }, ForceDeadline: '0001-01-01T00:00:00Z', StartedAt: '0001-01-01T00:00:00Z' } };
    const allocs = running(job, [draining, ns[1]!], 2);
    allocs[0] = { ...allocs[0]!, DesiredTransition: { ...allocs[0]!.DesiredTransition, Migrate: true } };
    const h = new Harness({ jobs: [job], nodes: [draining, ns[1]!, ns[2]!], allocs }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'node-drain', AnnotatePlan: true }));
    const stops = stopped(h.plans[0]);
    assert.equal(stops.length, 1);
    assert.equal(stops[0]?.DesiredDescription, 'alloc is being migrated');
    const repl = placed(h.plans[0]);
    assert.equal(repl.length, 1);
    assert.notEqual(repl[0]?.NodeID, draining.ID);
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.Migrate, 1);
  });

  it('completed batch allocations are never replaced and count toward count', async () => {
    const job = mockJob({ ID: 'batch', Type: 'batch' });
    job.TaskGroups[0]!.Count = 3;
    const ns = nodes(3);
    const allocs = running(job, ns, 3);
    allocs[0] = { ...allocs[0]!, ClientStatus: 'complete', TaskStates: { web: { State: 'dead', Failed: false, Restarts: 0, LastRestart: '', StartedAt: '', FinishedAt: '2026-01-01T00:00:00Z', Events: [] } } };
    const h = new Harness({ jobs: [job], nodes: ns, allocs }, { now: NOW });
    await h.process('batch', evalFor(job));
    assert.equal(h.plans.length, 0);
    assert.equal(h.lastEval()?.Status, 'complete');
  });
});

describe('generic scheduler: failed placements', () => {
  it('creates a blocked eval with metrics when nothing fits, and explains it', async () => {
    const job = mockJob({ ID: 'web', Constraints: [{ LTarget: '${attr.kernel.name}', RTarget: 'windows', Operand: '=' }] });
    job.TaskGroups[0]!.Count = 2;
    const ns = nodes(3).map((n, i) => ({ ...n, Meta: { ...n.Meta, idx: String(i) } }));
    const h = new Harness({ jobs: [job], nodes: ns }, { now: NOW });
    await h.process('service', evalFor(job));
    const ev = h.lastEval();
    assert.equal(ev?.Status, 'complete');
    const m = ev?.FailedTGAllocs?.['web'];
    assert.ok(m);
    assert.equal(m.NodesEvaluated, 3);
    assert.equal(m.NodesFiltered, 3);
    assert.deepEqual(m.ConstraintFiltered, { '${attr.kernel.name} = windows': 3 });
    assert.deepEqual(m.ClassFiltered, { 'linux-medium-pci': 3 });
    assert.equal(m.CoalescedFailures, 1);
    assert.deepEqual(ev?.QueuedAllocations, { web: 2 });
    const blocked = h.createdEvals.find((e) => e.Status === 'blocked');
    assert.ok(blocked);
    assert.equal(blocked.TriggeredBy, 'queued-allocs');
    assert.equal(blocked.PreviousEval, ev?.ID);
    assert.equal(ev?.BlockedEval, blocked.ID);
    assert.equal(blocked.StatusDescription, 'created to place remaining allocations');
    assert.equal(Object.values(blocked.ClassEligibility ?? {}).filter((v) => !v).length, 3);
    assert.deepEqual(explainFailures(ev?.FailedTGAllocs ?? null), [
      'Task Group "web" (failed to place 2 allocations):',
      '  * Class "linux-medium-pci": 3 nodes excluded by filter',
      '  * Constraint "${attr.kernel.name} = windows": 3 nodes excluded by filter',
    ]);
  });

  it('reports exhausted resources by dimension', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 1;
    job.TaskGroups[0]!.Tasks[0]!.Resources.MemoryMB = 100_000;
    const h = new Harness({ jobs: [job], nodes: nodes(2) }, { now: NOW });
    await h.process('service', evalFor(job));
    const m = h.lastEval()?.FailedTGAllocs?.['web'];
    assert.equal(m?.NodesExhausted, 2);
    assert.deepEqual(m?.DimensionExhausted, { memory: 2 });
    assert.ok(explainFailures(h.lastEval()?.FailedTGAllocs ?? null).includes('  * Dimension "memory" exhausted on 2 nodes'));
  });

  it('a blocked eval being re-processed is reblocked, not duplicated', async () => {
    const job = mockJob({ ID: 'web', Datacenters: ['dc2'] });
    const h = new Harness({ jobs: [job], nodes: nodes(2) }, { now: NOW });
    await h.process('service', evalFor(job, { Status: 'blocked', TriggeredBy: 'queued-allocs' }));
    assert.equal(h.createdEvals.length, 0);
    assert.equal(h.reblockedEvals.length, 1);
    assert.deepEqual(explainFailures(h.reblockedEvals[0]?.FailedTGAllocs ?? null), ['Task Group "web" (failed to place 10 allocations):', '  * No nodes were eligible for evaluation', '  * No nodes are available in datacenter "dc2"']);
  });

  it('retries after a partial commit with refreshed state', async () => {
    const job = mockJob({ ID: 'web' });
    job.TaskGroups[0]!.Count = 4;
    const ns = nodes(4);
    const h = new Harness({ jobs: [job], nodes: ns }, { now: NOW, rejectNodes: (_plan, attempt) => (attempt === 0 ? [ns[0]!.ID, ns[1]!.ID] : []) });
    await h.process('service', evalFor(job));
    assert.equal(h.plans.length, 2);
    const live = h.state.allocsByJob('default', 'web', false);
    assert.equal(live.length, 4);
    assert.equal(new Set(live.map((a) => a.Name)).size, 4);
    assert.equal(h.lastEval()?.Status, 'complete');
  });

  it('gives up after the retry limit: eval failed and a max-plan-attempts blocked eval', async () => {
    const job = mockJob({ ID: 'web', Type: 'batch' });
    job.TaskGroups[0]!.Count = 1;
    const ns = nodes(1);
    const h = new Harness({ jobs: [job], nodes: ns }, { now: NOW, rejectNodes: () => [ns[0]!.ID] });
    await h.process('batch', evalFor(job));
    assert.equal(h.plans.length, 2);
    assert.equal(h.lastEval()?.Status, 'failed');
    assert.equal(h.lastEval()?.StatusDescription, 'maximum attempts reached (2)');
    assert.equal(h.createdEvals[0]?.TriggeredBy, 'max-plan-attempts');
    assert.equal(h.createdEvals[0]?.StatusDescription, 'created due to placement conflicts');
  });

  it('an unknown trigger fails the evaluation', async () => {
    const job = mockJob({ ID: 'web' });
    const h = new Harness({ jobs: [job], nodes: nodes(1) }, { now: NOW });
    await h.process('service', evalFor(job, { TriggeredBy: 'bogus' }));
    assert.equal(h.lastEval()?.Status, 'failed');
    assert.equal(h.lastEval()?.StatusDescription, "scheduler cannot handle 'bogus' evaluation reason");
  });

  it('a dry run (AnnotatePlan) records the plan with annotations and changes nothing', async () => {
    const job = mockJob({ ID: 'web' });
    const h = new Harness({ jobs: [job], nodes: nodes(3) }, { now: NOW, dryRun: true });
    await h.process('service', evalFor(job, { AnnotatePlan: true }));
    assert.equal(h.plans[0]?.Annotations?.DesiredTGUpdates['web']?.Place, 10);
    assert.equal(h.state.allocsByJob('default', 'web', true).length, 0);
    assert.ok(!isTerminalAlloc(placed(h.plans[0])[0]!));
  });
});

