// The generic scheduler's decision for an existing allocation when the job changes (Nomad's
// genericAllocUpdateFn): unchanged job → ignore; a destructive field changed → replace;
// otherwise re-check the group on the same node (with the old alloc staged as stopped) and update
// in place if it still fits, keeping the ports, devices and cores it already holds.
import type { Allocation, Job, TaskGroup } from '../structs/index.js';
import { isTerminalAlloc } from '../structs/index.js';
import type { EvalContext } from './context.js';
import { STATUS_ALLOC_IN_PLACE } from './evals.js';
import { dcMatches } from './feasibility.js';
import { appendStoppedAlloc, popUpdate } from './planner.js';
import type { AllocUpdateDecision, AllocUpdateFn } from './reconciler.js';
import type { Stack } from './select.js';
import { tasksUpdated } from './tasks-updated.js';

export function genericAllocUpdateFn(ctx: EvalContext, stack: Stack, evalID: string): AllocUpdateFn {
  return (existing: Allocation, job: Job, tg: TaskGroup): AllocUpdateDecision => {
    const old = existing.Job;
    if (old === null) return { kind: 'destructive' };
    if (old.JobModifyIndex === job.JobModifyIndex) return { kind: 'ignore' };
    if (tasksUpdated(job, old, tg.Name).modified) return { kind: 'destructive' };
    if (isTerminalAlloc(existing)) return { kind: 'ignore' };
    const node = ctx.state.nodeByID(existing.NodeID);
    if (node === null) return { kind: 'destructive' };
    if (!dcMatches(node.Datacenter, job.Datacenters)) return { kind: 'destructive' };
    if (job.NodePool !== 'all' && job.NodePool !== '' && node.NodePool !== job.NodePool) return { kind: 'destructive' };
    stack.setNodes([node]);
    appendStoppedAlloc(ctx.plan, existing, STATUS_ALLOC_IN_PLACE, '', '');
    const option = stack.select(tg, { allocName: existing.Name });
    popUpdate(ctx.plan, existing);
    if (option === null) return { kind: 'destructive' };
    const prev = existing.AllocatedResources;
    const tasks = structuredClone(option.taskResources);
    for (const [task, res] of Object.entries(tasks)) {
      const had = prev?.Tasks[task];
      res.Networks = had?.Networks ?? null;
      res.Devices = had?.Devices ?? null;
      res.Cpu.ReservedCores = had?.Cpu.ReservedCores ?? null;
    }
    const updated: Allocation = {
      ...existing,
      EvalID: evalID,
      AllocatedResources: { Tasks: tasks, TaskLifecycles: { ...option.taskLifecycles }, Shared: { DiskMB: tg.EphemeralDisk.SizeMB, Networks: prev?.Shared.Networks ?? null, Ports: prev?.Shared.Ports ?? null } },
      Metrics: existing.Metrics === null ? null : structuredClone(existing.Metrics),
    };
    return { kind: 'inplace', alloc: updated };
  };
}
