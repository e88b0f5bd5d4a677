// The scheduler test harness (Nomad's scheduler/tests Harness): an in-memory state and a
// recording Planner that applies submitted plans to that state — so retries and later evaluations
// see the results — and records plans and the evaluations written. With `dryRun` it records but
// applies nothing, which is what `roam job plan` needs (run with AnnotatePlan set). A test can
// reject nodes of a plan to simulate the plan applier's partial commit.
import type { Allocation, Evaluation } from '../structs/index.js';
import { MemoryState, type StateInit } from './memory-state.js';
import type { Plan, PlanResult, Planner, SubmitResult } from './planner.js';
import { newScheduler } from './registry.js';
import type { SchedulerOptions } from './scheduler.js';

export interface HarnessOptions {
  /** Record plans without applying them. */
  dryRun?: boolean;
  /** Nodes the "plan applier" refuses in the n-th submitted plan (0-based), forcing a refresh. */
  rejectNodes?: (plan: Plan, attempt: number) => readonly string[];
  /** Defaults for process(): `now` in ms and a seed. */
  now?: number;
  seed?: number;
}

export class Harness implements Planner {
  readonly state: MemoryState;
  readonly plans: Plan[] = [];
  readonly results: PlanResult[] = [];
  readonly updatedEvals: Evaluation[] = [];
  readonly createdEvals: Evaluation[] = [];
  readonly reblockedEvals: Evaluation[] = [];
  private readonly opts: HarnessOptions;

  constructor(init: StateInit = {}, opts: HarnessOptions = {}) {
    this.state = new MemoryState(init);
    this.opts = opts;
  }

  /** Runs the scheduler for `type` on a snapshot of the harness state. */
  async process(type: string, evaluation: Evaluation, options: Partial<SchedulerOptions> = {}): Promise<void> {
    const opts: SchedulerOptions = { now: this.opts.now ?? Date.UTC(2026, 0, 1), ...(this.opts.seed !== undefined ? { seed: this.opts.seed } : {}), ...options };
    const s = newScheduler(type, this.state.snapshot(), this, opts);
    if (s === undefined) throw new Error(`unknown scheduler type ${JSON.stringify(type)}`);
    await s.process(evaluation);
  }

  /** The last evaluation status update. */
  lastEval(): Evaluation | undefined {
    return this.updatedEvals[this.updatedEvals.length - 1];
  }

  submitPlan(plan: Plan): Promise<SubmitResult> {
    const attempt = this.plans.length;
    this.plans.push(plan);
    const rejected = new Set(this.opts.rejectNodes?.(plan, attempt) ?? []);
    const index = this.state.index + 1;
    const result: PlanResult = { NodeUpdate: {}, NodeAllocation: {}, NodePreemptions: {}, Deployment: plan.Deployment, DeploymentUpdates: plan.DeploymentUpdates, RejectedNodes: [], IneligibleNodes: [], RefreshIndex: 0, AllocIndex: index };
    const nodeIDs = [...new Set([...Object.keys(plan.NodeUpdate), ...Object.keys(plan.NodeAllocation)])].sort();
    const commit = !(plan.AllAtOnce && rejected.size > 0);
    const writes: Allocation[] = [];
    for (const nodeID of nodeIDs) {
      if (rejected.has(nodeID)) {
        result.RejectedNodes.push(nodeID);
        continue;
      }
      if (!commit) continue;
      const stops = (plan.NodeUpdate[nodeID] ?? []).map((a) => {
        const prev = this.state.allocByID(a.ID) ?? a;
        return { ...prev, DesiredStatus: a.DesiredStatus, DesiredDescription: a.DesiredDescription, ClientStatus: a.ClientStatus, FollowupEvalID: a.FollowupEvalID, RescheduleTracker: a.RescheduleTracker, ModifyIndex: index, AllocModifyIndex: index };
      });
      const places = (plan.NodeAllocation[nodeID] ?? []).map((a) => {
        const prev = this.state.allocByID(a.ID);
        return { ...a, Job: a.Job ?? plan.Job, CreateIndex: prev?.CreateIndex ?? index, ModifyIndex: index, AllocModifyIndex: index };
      });
      if (stops.length > 0) result.NodeUpdate[nodeID] = stops;
      if (places.length > 0) result.NodeAllocation[nodeID] = places;
      writes.push(...stops, ...places);
    }
    if (rejected.size > 0) result.RefreshIndex = index;
    if (this.opts.dryRun === true) {
      this.results.push(result);
      return Promise.resolve({ result });
    }
    this.state.index = index;
    for (const a of writes) this.state.upsertAlloc(a);
    if (commit && plan.Deployment !== null) this.state.upsertDeployment(plan.Deployment);
    for (const u of commit ? plan.DeploymentUpdates : []) {
      const d = this.state.deploymentByID(u.DeploymentID);
      if (d !== null) this.state.upsertDeployment({ ...d, Status: u.Status as typeof d.Status, StatusDescription: u.StatusDescription, ModifyIndex: index });
    }
    this.results.push(result);
    return Promise.resolve(result.RefreshIndex !== 0 ? { result, newState: this.state.snapshot() } : { result });
  }

  updateEval(evaluation: Evaluation): Promise<void> {
    this.updatedEvals.push(evaluation);
    return Promise.resolve();
  }

  createEval(evaluation: Evaluation): Promise<void> {
    this.createdEvals.push(evaluation);
    return Promise.resolve();
  }

  reblockEval(evaluation: Evaluation): Promise<void> {
    this.reblockedEvals.push(evaluation);
    return Promise.resolve();
  }
}
