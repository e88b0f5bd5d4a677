// The scheduler's output and the boundary it crosses: the Plan (stops, placements, in-place
// updates, deployment changes), the PlanResult the plan applier returns, and the Planner through
// which a scheduler submits plans and writes evaluations. The Planner may be async (the server's
// is); building a plan is not.
import type { AllocClientStatus, Allocation, Deployment, Evaluation, Job } from '../structs/index.js';
import type { StateView } from './state-view.js';

/** Per task group counters of what a plan does (`nomad job plan` prints these). */
export interface DesiredUpdates {
  Ignore: number;
  Place: number;
  Migrate: number;
  Stop: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Preemptions: number;
  Disconnect: number;
  Reconnect: number;
  RescheduleNow: number;
  RescheduleLater: number;
}

export function emptyDesiredUpdates(): DesiredUpdates {
  return { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0, RescheduleNow: 0, RescheduleLater: 0 };
}

export interface PlanAnnotations {
  DesiredTGUpdates: Record<string, DesiredUpdates>;
}

export interface DeploymentStatusUpdate {
  DeploymentID: string;
  Status: string;
  StatusDescription: string;
}

export interface Plan {
  EvalID: string;
  EvalToken: string;
  Priority: number;
  AllAtOnce: boolean;
  /** The job being planned; for a purged job, the job of the allocations being stopped. */
  Job: Job | null;
  /** Stops and evictions by node, with DesiredStatus, DesiredDescription and ClientStatus set. */
  NodeUpdate: Record<string, Allocation[]>;
  /** New placements and in-place / attribute updates by node. */
  NodeAllocation: Record<string, Allocation[]>;
  NodePreemptions: Record<string, Allocation[]>;
  Annotations: PlanAnnotations | null;
  Deployment: Deployment | null;
  DeploymentUpdates: DeploymentStatusUpdate[];
  SnapshotIndex: number;
}

export interface PlanResult {
  NodeUpdate: Record<string, Allocation[]>;
  NodeAllocation: Record<string, Allocation[]>;
  NodePreemptions: Record<string, Allocation[]>;
  Deployment: Deployment | null;
  DeploymentUpdates: DeploymentStatusUpdate[];
  RejectedNodes: string[];
  IneligibleNodes: string[];
  /** Non-zero when the plan was only partly committed: refresh to at least this index and retry. */
  RefreshIndex: number;
  AllocIndex: number;
}

export interface SubmitResult {
  result: PlanResult;
  /** A fresher snapshot, given when the result asks for a refresh. */
  newState?: StateView;
}

export interface Planner {
  submitPlan(plan: Plan): Promise<SubmitResult>;
  updateEval(evaluation: Evaluation): Promise<void>;
  createEval(evaluation: Evaluation): Promise<void>;
  reblockEval(evaluation: Evaluation): Promise<void>;
}

export function makePlan(evaluation: Evaluation, job: Job | null, snapshotIndex: number): Plan {
  return {
    EvalID: evaluation.ID,
    EvalToken: '',
    Priority: evaluation.Priority,
    AllAtOnce: job?.AllAtOnce ?? false,
    Job: job,
    NodeUpdate: {},
    NodeAllocation: {},
    NodePreemptions: {},
    Annotations: null,
    Deployment: null,
    DeploymentUpdates: [],
    SnapshotIndex: snapshotIndex,
  };
}

/** Stages a stop: a copy of the alloc with the server's wish (and the client status, if given). */
export function appendStoppedAlloc(plan: Plan, alloc: Allocation, description: string, clientStatus: AllocClientStatus | '', followupEvalID: string): Allocation {
  if (plan.Job === null && alloc.Job !== null) plan.Job = alloc.Job;
  const stopped: Allocation = { ...alloc, DesiredStatus: 'stop', DesiredDescription: description };
  if (clientStatus !== '') stopped.ClientStatus = clientStatus;
  if (followupEvalID !== '') stopped.FollowupEvalID = followupEvalID;
  (plan.NodeUpdate[alloc.NodeID] ??= []).push(stopped);
  return stopped;
}

/** Stages a placement or an update; the alloc runs the plan's job unless another is given. */
export function appendAlloc(plan: Plan, alloc: Allocation, job: Job | null = null): void {
  alloc.Job = job ?? plan.Job;
  (plan.NodeAllocation[alloc.NodeID] ??= []).push(alloc);
}

/** Removes the last staged stop for the alloc, if that is what it was. */
export function popUpdate(plan: Plan, alloc: Allocation): void {
  const list = plan.NodeUpdate[alloc.NodeID];
  if (list === undefined || list.length === 0) return;
  if (list[list.length - 1]?.ID === alloc.ID) {
    list.pop();
    if (list.length === 0) delete plan.NodeUpdate[alloc.NodeID];
  }
}

export function planIsNoOp(plan: Plan): boolean {
  return Object.keys(plan.NodeUpdate).length === 0 && Object.keys(plan.NodeAllocation).length === 0 && plan.Deployment === null && plan.DeploymentUpdates.length === 0;
}

function countAllocs(m: Record<string, Allocation[]>): number {
  let n = 0;
  for (const list of Object.values(m)) n += list.length;
  return n;
}

/** Whether everything the plan placed was committed (Nomad's PlanResult.FullCommit). */
export function fullCommit(plan: Plan, result: PlanResult): { full: boolean; expected: number; actual: number } {
  const expected = countAllocs(plan.NodeAllocation);
  const actual = countAllocs(result.NodeAllocation);
  return { full: expected === actual, expected, actual };
}

/** Whether a plan result changed anything (resets the retry budget). */
export function progressMade(result: PlanResult | null): boolean {
  return result !== null && (Object.keys(result.NodeUpdate).length > 0 || Object.keys(result.NodeAllocation).length > 0 || result.Deployment !== null || result.DeploymentUpdates.length > 0);
}
