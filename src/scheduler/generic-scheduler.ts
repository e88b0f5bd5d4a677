// The service and batch scheduler (Nomad's GenericScheduler): reconcile the job's allocations,
// turn the result into a plan (stops, in-place updates, placements chosen by the stack), submit
// it, retry on a partial commit with refreshed state (5 attempts for service, 2 for batch, reset
// on progress), create a blocked evaluation for what could not be placed and follow-up
// evaluations for delayed reschedules, and record the evaluation's outcome.
import type { AllocMetric, Deployment, Evaluation, Job } from '../structs/index.js';
import { isActiveDeployment, isZeroTime, msToNanos, parseGoTime } from '../structs/index.js';
import { EvalContext } from './context.js';
import { DESC_BLOCKED_EVAL_FAILED_PLACEMENTS, DESC_BLOCKED_EVAL_MAX_PLAN, blockedEval } from './evals.js';
import { genericAllocUpdateFn } from './inplace.js';
import { fullCommit, makePlan, planIsNoOp, progressMade, type Plan, type PlanAnnotations, type PlanResult, type Planner } from './planner.js';
import { placeAll } from './generic-placement.js';
import { appendAlloc, appendStoppedAlloc } from './planner.js';
import { reconcile } from './reconciler.js';
import { createRng, rngUUID, seedFromString, type Rng } from './rng.js';
import { adjustQueuedAllocations, setStatus, taintedNodes, updateNonTerminalAllocsToLost, type Scheduler, type SchedulerOptions } from './scheduler.js';
import { DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS, Stack } from './select.js';
import type { StateView } from './state-view.js';

const GENERIC_TRIGGERS = new Set(['job-register', 'job-deregister', 'node-drain', 'node-update', 'alloc-stop', 'alloc-reschedule', 'rolling-update', 'queued-allocs', 'periodic-job', 'max-plan-attempts', 'deployment-watcher', 'alloc-failure', 'failed-follow-up', 'preemption', 'job-scaling', 'max-disconnect-timeout', 'reconnect']);
export const MAX_SERVICE_SCHEDULE_ATTEMPTS = 5;
export const MAX_BATCH_SCHEDULE_ATTEMPTS = 2;

export class GenericScheduler implements Scheduler {
  private evaluation!: Evaluation;
  private rng!: Rng;
  private job: Job | null = null;
  private plan!: Plan;
  private ctx!: EvalContext;
  private stack!: Stack;
  private deployment: Deployment | null = null;
  private planResult: PlanResult | null = null;
  private failedTGAllocs: Record<string, AllocMetric> | null = null;
  private queued: Record<string, number> = {};
  private blocked: Evaluation | null = null;
  private followUps: Evaluation[] = [];
  private annotations: PlanAnnotations | null = null;

  constructor(
    private state: StateView,
    private readonly planner: Planner,
    private readonly batch: boolean,
    private readonly options: SchedulerOptions,
  ) {}

  private newID(): string {
    return rngUUID(this.rng);
  }

  async process(evaluation: Evaluation): Promise<void> {
    this.evaluation = { ...evaluation };
    this.rng = this.options.rng ?? createRng(this.options.seed ?? seedFromString(evaluation.ID));
    if (!GENERIC_TRIGGERS.has(evaluation.TriggeredBy)) {
      await this.finish('failed', `scheduler cannot handle '${evaluation.TriggeredBy}' evaluation reason`);
      return;
    }
    const limit = this.batch ? MAX_BATCH_SCHEDULE_ATTEMPTS : MAX_SERVICE_SCHEDULE_ATTEMPTS;
    let attempts = 0;
    let done = false;
    while (attempts < limit) {
      done = await this.processOnce();
      if (done) break;
      if (progressMade(this.planResult)) attempts = 0;
      else attempts++;
    }
    if (!done) {
      await this.createBlockedEval(true);
      await this.finish('failed', `maximum attempts reached (${limit})`);
      return;
    }
    if (this.evaluation.Status === 'blocked' && this.failedTGAllocs !== null) {
      const e = this.ctx.eligibility;
      await this.planner.reblockEval({ ...this.evaluation, EscapedComputedClass: e.hasEscaped(), ClassEligibility: e.classes(), FailedTGAllocs: this.failedTGAllocs });
      return;
    }
    await this.finish('complete', '');
  }

  private async finish(status: Evaluation['Status'], description: string): Promise<void> {
    const deploymentID = this.deployment?.ID ?? '';
    await setStatus(this.planner, this.evaluation, { status, description, blocked: this.blocked, failedTGAllocs: this.failedTGAllocs, queued: this.queued, deploymentID }, this.options.now);
  }

  private async createBlockedEval(planFailure: boolean): Promise<void> {
    const e = this.ctx.eligibility;
    const escaped = e.hasEscaped();
    const b = blockedEval(this.newID(), this.evaluation, escaped ? null : e.classes(), escaped, this.failedTGAllocs, msToNanos(this.options.now));
    if (planFailure) {
      b.TriggeredBy = 'max-plan-attempts';
      b.StatusDescription = DESC_BLOCKED_EVAL_MAX_PLAN;
    } else b.StatusDescription = DESC_BLOCKED_EVAL_FAILED_PLACEMENTS;
    this.blocked = b;
    await this.planner.createEval(b);
  }

  private async processOnce(): Promise<boolean> {
    const ev = this.evaluation;
    this.job = this.state.jobByID(ev.Namespace, ev.JobID);
    this.queued = {};
    this.followUps = [];
    this.plan = makePlan(ev, this.job, this.state.index);
    this.deployment = this.batch ? null : structuredCloneOrNull(this.state.latestDeploymentByJob(ev.Namespace, ev.JobID));
    this.failedTGAllocs = null;
    this.ctx = new EvalContext(this.state, this.plan, this.rng);
    this.stack = new Stack(this.ctx, this.batch ? 'batch' : 'service', { algorithm: this.options.algorithm ?? 'binpack', nodeLimitForFeasibilityChecks: this.options.nodeLimitForFeasibilityChecks ?? DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS });
    if (this.job !== null && !this.job.Stop) this.stack.setJob(this.job);

    this.computeJobAllocs();

    const waitUntil = parseGoTime(ev.WaitUntil);
    if (ev.Status !== 'blocked' && this.failedTGAllocs !== null && this.blocked === null && (this.followUps.length === 0 || this.options.now > waitUntil)) await this.createBlockedEval(false);
    if (planIsNoOp(this.plan) && !ev.AnnotatePlan) return true;
    if (this.followUps.length > 0 && isZeroTime(ev.WaitUntil)) {
      for (const f of this.followUps) {
        f.PreviousEval = ev.ID;
        this.evaluation.NextEval = f.ID;
        await this.planner.createEval(f);
      }
    }
    if (ev.AnnotatePlan) this.plan.Annotations = this.annotations;
    const { result, newState } = await this.planner.submitPlan(this.plan);
    this.planResult = result;
    adjustQueuedAllocations(result, this.queued);
    if (newState !== undefined) {
      this.state = newState;
      this.deployment = null;
      return false;
    }
    if (!fullCommit(this.plan, result).full) throw new Error('missing state refresh after partial commit');
    return true;
  }

  private computeJobAllocs(): void {
    const ev = this.evaluation;
    const allocs = this.state.allocsByJob(ev.Namespace, ev.JobID, true);
    const tainted = taintedNodes(this.state, allocs);
    updateNonTerminalAllocsToLost(this.plan, tainted, allocs);
    const results = reconcile({
      job: this.job,
      jobID: ev.JobID,
      isBatch: this.batch,
      deployment: this.deployment,
      allocs,
      tainted,
      evalID: ev.ID,
      evalPriority: ev.Priority,
      now: this.options.now,
      updateFn: genericAllocUpdateFn(this.ctx, this.stack, ev.ID),
      newID: () => this.newID(),
    });
    this.annotations = { DesiredTGUpdates: results.desiredTGUpdates };
    this.plan.Deployment = results.deployment;
    this.plan.DeploymentUpdates = results.deploymentUpdates;
    this.followUps = results.followupEvals;
    for (const s of results.stop) appendStoppedAlloc(this.plan, s.alloc, s.description, s.clientStatus, s.followupEvalID);
    const deploymentID = this.deployment !== null && isActiveDeployment(this.deployment.Status) ? this.deployment.ID : '';
    for (const u of results.inplaceUpdate) {
      if (u.DeploymentID !== (this.deployment?.ID ?? '')) {
        u.DeploymentID = this.deployment?.ID ?? '';
        u.DeploymentStatus = null;
      }
      appendAlloc(this.plan, u);
    }
    for (const u of results.attributeUpdates) appendAlloc(this.plan, u, u.Job);
    const job = this.job;
    if (results.place.length + results.destructiveUpdate.length === 0 || job === null) {
      for (const tg of job?.TaskGroups ?? []) this.queued[tg.Name] = 0;
      return;
    }
    for (const p of [...results.place, ...results.destructiveUpdate]) this.queued[p.taskGroup.Name] = (this.queued[p.taskGroup.Name] ?? 0) + 1;
    this.failedTGAllocs = placeAll({ state: this.state, ctx: this.ctx, stack: this.stack, plan: this.plan, job, evalID: ev.ID, deploymentID, nowMs: this.options.now, newID: () => this.newID() }, results);
  }
}

function structuredCloneOrNull<T>(v: T | null): T | null {
  return v === null ? null : structuredClone(v);
}
