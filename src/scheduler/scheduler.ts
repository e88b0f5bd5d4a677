// What every scheduler shares: the Scheduler interface and its options, and the steps common to
// the generic and system schedulers — finding tainted nodes, marking allocations on down nodes
// lost, building a placed allocation, and writing the evaluation's final status.
import type { AllocMetric, Allocation, Evaluation, Job, Node, TaskGroup } from '../structs/index.js';
import { msToNanos } from '../structs/index.js';
import type { TaintedNodes } from './alloc-set.js';
import { STATUS_ALLOC_LOST } from './evals.js';
import { appendStoppedAlloc, type Plan, type Planner } from './planner.js';
import type { RankedNode, SchedulerAlgorithm } from './rank.js';
import type { Rng } from './rng.js';
import type { StateView } from './state-view.js';

export interface SchedulerOptions {
  /** Milliseconds since the epoch: the only clock the scheduler reads. */
  now: number;
  /** Seed for IDs and port picks; defaults to one derived from the evaluation ID. */
  seed?: number;
  rng?: Rng;
  /** Scheduler configuration: `binpack` (default) or `spread`. */
  algorithm?: SchedulerAlgorithm;
  nodeLimitForFeasibilityChecks?: number;
}

export interface Scheduler {
  /** Processes one evaluation: plans, submits, and writes the evaluation's outcome through the planner. */
  process(evaluation: Evaluation): Promise<void>;
}

export type SchedulerFactory = (state: StateView, planner: Planner, options: SchedulerOptions) => Scheduler;

/** Nodes that affect the job's allocations: missing (null), down, draining or disconnected. */
export function taintedNodes(state: StateView, allocs: readonly Allocation[]): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const a of allocs) {
    if (out.has(a.NodeID)) continue;
    const node = state.nodeByID(a.NodeID);
    if (node === null) out.set(a.NodeID, null);
    else if (node.Status === 'down' || node.Status === 'disconnected' || node.DrainStrategy !== null) out.set(a.NodeID, node);
  }
  return out;
}

/** Allocs already told to stop but still running on a down node are marked lost. */
export function updateNonTerminalAllocsToLost(plan: Plan, tainted: TaintedNodes, allocs: readonly Allocation[]): void {
  for (const a of allocs) {
    if (!tainted.has(a.NodeID)) continue;
    const node = tainted.get(a.NodeID);
    if (node != null && node.Status !== 'down') continue;
    if ((a.DesiredStatus === 'stop' || a.DesiredStatus === 'evict') && (a.ClientStatus === 'running' || a.ClientStatus === 'pending')) appendStoppedAlloc(plan, a, STATUS_ALLOC_LOST, 'lost', '');
  }
}

export interface NewAllocation {
  id: string;
  evalID: string;
  name: string;
  job: Job;
  tg: TaskGroup;
  option: RankedNode;
  metric: AllocMetric;
  deploymentID: string;
  nowNs: number;
}

/** The allocation for a successful Select: desired run, client pending, with the resources bin packing assigned. */
export function newAllocation(p: NewAllocation): Allocation {
  return {
    ID: p.id,
    Namespace: p.job.Namespace,
    EvalID: p.evalID,
    Name: p.name,
    NodeID: p.option.node.ID,
    NodeName: p.option.node.Name,
    JobID: p.job.ID,
    Job: p.job,
    TaskGroup: p.tg.Name,
    AllocatedResources: { Tasks: structuredClone(p.option.taskResources), TaskLifecycles: { ...p.option.taskLifecycles }, Shared: { DiskMB: p.tg.EphemeralDisk.SizeMB, Networks: p.option.allocNetworks, Ports: p.option.allocPorts } },
    Metrics: p.metric,
    DesiredStatus: 'run',
    DesiredDescription: '',
    DesiredTransition: { Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null },
    ClientStatus: 'pending',
    ClientDescription: '',
    TaskStates: null,
    AllocStates: null,
    PreviousAllocation: '',
    NextAllocation: '',
    DeploymentID: p.deploymentID,
    DeploymentStatus: null,
    RescheduleTracker: null,
    NetworkStatus: null,
    FollowupEvalID: '',
    PreemptedAllocations: null,
    PreemptedByAllocation: '',
    CreateIndex: 0,
    ModifyIndex: 0,
    AllocModifyIndex: 0,
    CreateTime: p.nowNs,
    ModifyTime: p.nowNs,
  };
}

export interface EvalOutcome {
  status: Evaluation['Status'];
  description: string;
  blocked: Evaluation | null;
  failedTGAllocs: Record<string, AllocMetric> | null;
  queued: Record<string, number> | null;
  deploymentID: string;
}

/** Writes the evaluation's final status (Nomad's setStatus). */
export async function setStatus(planner: Planner, evaluation: Evaluation, o: EvalOutcome, nowMs: number): Promise<void> {
  const updated: Evaluation = { ...evaluation, Status: o.status, StatusDescription: o.description, DeploymentID: o.deploymentID, FailedTGAllocs: o.failedTGAllocs, ModifyTime: msToNanos(nowMs) };
  if (o.blocked !== null) updated.BlockedEval = o.blocked.ID;
  if (o.queued !== null) updated.QueuedAllocations = o.queued;
  await planner.updateEval(updated);
}

/** Decrements the queued counts for allocations the plan applier actually created. */
export function adjustQueuedAllocations(result: { NodeAllocation: Record<string, Allocation[]> } | null, queued: Record<string, number>): void {
  if (result === null) return;
  for (const list of Object.values(result.NodeAllocation)) {
    for (const a of list) {
      if (a.CreateIndex !== a.ModifyIndex) continue;
      if (a.TaskGroup in queued) queued[a.TaskGroup] = (queued[a.TaskGroup] ?? 0) - 1;
    }
  }
}
