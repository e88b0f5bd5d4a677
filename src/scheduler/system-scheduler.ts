// The system and sysbatch schedulers (Nomad's SystemScheduler): one allocation of each group per
// eligible ready node. Nodes a constraint excludes are skipped silently (reported only when no
// node at all fits); nodes without room are reported, each first failure with a blocked
// evaluation for that node. Destructive updates are limited to update.max_parallel per eval.
import type { AllocMetric, Evaluation, Job, Node } from '../structs/index.js';
import { msToNanos } from '../structs/index.js';
import { EvalContext } from './context.js';
import { DESC_BLOCKED_EVAL_FAILED_PLACEMENTS, STATUS_ALLOC_LOST, STATUS_ALLOC_NODE_TAINTED, STATUS_ALLOC_NOT_NEEDED, STATUS_ALLOC_UPDATING, blockedEval } from './evals.js';
import { readyNodesInDCsAndPool, type ReadyNodes } from './feasibility.js';
import { genericAllocUpdateFn } from './inplace.js';
import { exhaustResources, mergeNodeFiltered } from './metrics.js';
import { appendAlloc, appendStoppedAlloc, emptyDesiredUpdates, fullCommit, makePlan, planIsNoOp, progressMade, type DesiredUpdates, type Plan, type PlanAnnotations, type PlanResult, type Planner } from './planner.js';
import { reconcileNodes, type AllocTuple } from './reconcile-node.js';
import { createRng, rngUUID, seedFromString, type Rng } from './rng.js';
import { adjustQueuedAllocations, newAllocation, setStatus, taintedNodes, updateNonTerminalAllocsToLost, type Scheduler, type SchedulerOptions } from './scheduler.js';
import { DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS, Stack } from './select.js';
import type { StateView } from './state-view.js';

const SYSTEM_TRIGGERS = new Set(['job-register', 'node-update', 'failed-follow-up', 'job-deregister', 'rolling-update', 'preemption', 'deployment-watcher', 'node-drain', 'alloc-stop', 'queued-allocs', 'job-scaling', 'reconnect']);
export const MAX_SYSTEM_SCHEDULE_ATTEMPTS = 5;

export class SystemScheduler implements Scheduler {
  private evaluation!: Evaluation;
  private rng!: Rng;
  private job: Job | null = null;
  private ready: ReadyNodes = { nodes: [], notReady: new Set(), byDC: {} };
  private plan!: Plan;
  private ctx!: EvalContext;
  private stack!: Stack;
  private planResult: PlanResult | null = null;
  private failedTGAllocs: Record<string, AllocMetric> | null = null;
  private queued: Record<string, number> = {};
  private annotations: PlanAnnotations | null = null;

  constructor(
    private state: StateView,
    private readonly planner: Planner,
    readonly sysbatch: boolean,
    private readonly options: SchedulerOptions,
  ) {}

  async process(evaluation: Evaluation): Promise<void> {
    this.evaluation = { ...evaluation };
    this.rng = this.options.rng ?? createRng(this.options.seed ?? seedFromString(evaluation.ID));
    const finish = (status: Evaluation['Status'], description: string): Promise<void> =>
      setStatus(this.planner, this.evaluation, { status, description, blocked: null, failedTGAllocs: this.failedTGAllocs, queued: this.queued, deploymentID: '' }, this.options.now);
    if (!SYSTEM_TRIGGERS.has(evaluation.TriggeredBy)) {
      await finish('failed', `scheduler cannot handle '${evaluation.TriggeredBy}' evaluation reason`);
      return;
    }
    let attempts = 0;
    while (attempts < MAX_SYSTEM_SCHEDULE_ATTEMPTS) {
      if (await this.processOnce()) {
        await finish('complete', '');
        return;
      }
      if (progressMade(this.planResult)) attempts = 0;
      else attempts++;
    }
    await finish('failed', `maximum attempts reached (${MAX_SYSTEM_SCHEDULE_ATTEMPTS})`);
  }

  private async processOnce(): Promise<boolean> {
    const ev = this.evaluation;
    this.job = this.state.jobByID(ev.Namespace, ev.JobID);
    this.queued = {};
    const stopped = this.job === null || this.job.Stop;
    this.ready = stopped || this.job === null ? { nodes: [], notReady: new Set(), byDC: {} } : readyNodesInDCsAndPool(this.state, this.job.Datacenters, this.job.NodePool);
    this.plan = makePlan(ev, this.job, this.state.index);
    this.failedTGAllocs = null;
    this.ctx = new EvalContext(this.state, this.plan, this.rng);
    this.stack = new Stack(this.ctx, 'system', { algorithm: this.options.algorithm ?? 'binpack', nodeLimitForFeasibilityChecks: this.options.nodeLimitForFeasibilityChecks ?? DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS });
    if (this.job !== null && !stopped) this.stack.setJob(this.job);
    await this.computeJobAllocs();
    if (planIsNoOp(this.plan) && !ev.AnnotatePlan) return true;
    if (ev.AnnotatePlan) this.plan.Annotations = this.annotations;
    const { result, newState } = await this.planner.submitPlan(this.plan);
    this.planResult = result;
    adjustQueuedAllocations(result, this.queued);
    if (newState !== undefined) {
      this.state = newState;
      return false;
    }
    return fullCommit(this.plan, result).full;
  }

  private async computeJobAllocs(): Promise<void> {
    const ev = this.evaluation;
    const allocs = this.state.allocsByJob(ev.Namespace, ev.JobID, true);
    const tainted = taintedNodes(this.state, allocs);
    updateNonTerminalAllocsToLost(this.plan, tainted, allocs);
    const r = reconcileNodes({ job: this.job, readyNodes: this.ready.nodes, notReady: this.ready.notReady, tainted, allocs });
    for (const t of r.stop) if (t.alloc !== null) appendStoppedAlloc(this.plan, t.alloc, STATUS_ALLOC_NOT_NEEDED, '', '');
    for (const t of r.migrate) if (t.alloc !== null) appendStoppedAlloc(this.plan, t.alloc, STATUS_ALLOC_NODE_TAINTED, '', '');
    for (const t of r.lost) if (t.alloc !== null) appendStoppedAlloc(this.plan, t.alloc, STATUS_ALLOC_LOST, 'lost', '');
    const job = this.job;
    const dtg: Record<string, DesiredUpdates> = {};
    const du = (tg: string): DesiredUpdates => (dtg[tg] ??= emptyDesiredUpdates());
    for (const t of r.stop) du(t.alloc?.TaskGroup ?? t.taskGroup.Name).Stop++;
    for (const t of r.ignore) du(t.taskGroup.Name).Ignore++;
    for (const t of r.migrate) du(t.taskGroup.Name).Migrate++;
    const destructive: AllocTuple[] = [];
    const candidates: Record<string, number> = {};
    const bump = (tg: string, n = 1): void => {
      candidates[tg] = (candidates[tg] ?? 0) + n;
    };
    if (job !== null) {
      const updateFn = genericAllocUpdateFn(this.ctx, this.stack, ev.ID);
      for (const t of r.update) {
        if (t.alloc === null) continue;
        const d = updateFn(t.alloc, job, t.taskGroup);
        if (d.kind === 'destructive') {
          destructive.push(t);
          du(t.taskGroup.Name).DestructiveUpdate++;
        } else if (d.kind === 'inplace') {
          appendAlloc(this.plan, d.alloc);
          du(t.taskGroup.Name).InPlaceUpdate++;
          bump(t.taskGroup.Name);
        } else du(t.taskGroup.Name).Ignore++;
      }
    }
    for (const t of [...r.place, ...r.ignore, ...destructive]) bump(t.taskGroup.Name);
    this.annotations = { DesiredTGUpdates: dtg };
    const place = [...r.place];
    if (job !== null && !job.Stop) {
      const limits = new Map<string, number>();
      for (const tg of job.TaskGroups) limits.set(tg.Name, tg.Update !== null && tg.Update.MaxParallel > 0 ? tg.Update.MaxParallel : job.Update.MaxParallel > 0 ? job.Update.MaxParallel : destructive.length);
      for (const t of destructive) {
        const left = limits.get(t.taskGroup.Name) ?? 0;
        if (left <= 0 || t.alloc === null) continue;
        appendStoppedAlloc(this.plan, t.alloc, STATUS_ALLOC_UPDATING, '', '');
        place.push(t);
        limits.set(t.taskGroup.Name, left - 1);
      }
      for (const tg of job.TaskGroups) this.queued[tg.Name] = 0;
    }
    for (const t of place) this.queued[t.taskGroup.Name] = (this.queued[t.taskGroup.Name] ?? 0) + 1;
    const existingForTG = new Set([...r.ignore.map((t) => t.taskGroup.Name), ...Object.keys(dtg).filter((k) => (dtg[k]?.InPlaceUpdate ?? 0) > 0)]);
    if (job !== null) await this.computePlacements(job, place, existingForTG, candidates);
    for (const [tg, n] of Object.entries(candidates)) du(tg).Place = n;
  }

  private async computePlacements(job: Job, place: AllocTuple[], existingForTG: ReadonlySet<string>, candidates: Record<string, number>): Promise<void> {
    const byID = new Map<string, Node>(this.ready.nodes.map((n) => [n.ID, n]));
    const filtered: Record<string, AllocMetric> = {};
    const nowNs = msToNanos(this.options.now);
    for (const missing of place) {
      const tg = missing.taskGroup;
      const node = byID.get(missing.nodeID);
      if (node === undefined) continue;
      this.stack.setNodes([node]);
      const option = this.stack.select(tg, { allocName: missing.name });
      const metric = this.ctx.metrics.metric;
      if (option === null) {
        candidates[tg.Name] = (candidates[tg.Name] ?? 0) - 1;
        if (metric.NodesFiltered > 0) {
          this.queued[tg.Name] = (this.queued[tg.Name] ?? 0) - 1;
          const merged = mergeNodeFiltered(filtered[tg.Name], metric);
          filtered[tg.Name] = merged;
          if ((this.queued[tg.Name] ?? 0) <= 0 && !existingForTG.has(tg.Name)) (this.failedTGAllocs ??= {})[tg.Name] = merged;
          continue;
        }
        const prior = this.failedTGAllocs?.[tg.Name];
        if (prior !== undefined) {
          prior.CoalescedFailures++;
          exhaustResources(prior, tg);
          continue;
        }
        metric.NodesAvailable = { ...this.ready.byDC };
        metric.NodesInPool = this.ready.nodes.length;
        metric.NodePool = job.NodePool;
        this.ctx.metrics.populateScoreMetaData();
        exhaustResources(metric, tg);
        (this.failedTGAllocs ??= {})[tg.Name] = metric;
        await this.addBlocked(node);
        continue;
      }
      metric.NodesAvailable = { ...this.ready.byDC };
      metric.NodesInPool = this.ready.nodes.length;
      this.ctx.metrics.populateScoreMetaData();
      const alloc = newAllocation({ id: rngUUID(this.rng), evalID: this.evaluation.ID, name: missing.name, job, tg, option, metric, deploymentID: '', nowNs });
      if (missing.alloc !== null) alloc.PreviousAllocation = missing.alloc.ID;
      appendAlloc(this.plan, alloc);
    }
  }

  private async addBlocked(node: Node): Promise<void> {
    const e = this.ctx.eligibility;
    const escaped = e.hasEscaped();
    const b = blockedEval(rngUUID(this.rng), this.evaluation, escaped ? null : e.classes(), escaped, this.failedTGAllocs, msToNanos(this.options.now));
    b.StatusDescription = DESC_BLOCKED_EVAL_FAILED_PLACEMENTS;
    b.NodeID = node.ID;
    await this.planner.createEval(b);
  }
}
