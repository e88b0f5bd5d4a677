// The cluster reconciler for service and batch jobs (Nomad's AllocReconciler): compares the job's
// desired groups and counts with its existing allocations and the state of their nodes, and says
// what to do — place, stop, update in place, replace (destructive), migrate, reschedule now or
// later — with the DesiredTGUpdates counters `job plan` shows. Pure: no state reads, no clock
// (`now` is an input), IDs from the injected generator. Deployments are read but never created
// yet (no deployment watcher); destructive updates are limited to update.max_parallel per eval.
import type { AllocClientStatus, Allocation, Deployment, Evaluation, Job, TaskGroup } from '../structs/index.js';
import { goTime, isTerminalAlloc, isActiveDeployment, lookupTaskGroup, msToNanos, nanosToMs } from '../structs/index.js';
import { AllocNameIndex, allocIndex, classifyAllocs, difference, filterOldTerminal, filterServerTerminal, filterSet, nameOrder, union, type AllocSet, type TaintedNodes } from './alloc-set.js';
import { STATUS_ALLOC_LOST, STATUS_ALLOC_MIGRATING, STATUS_ALLOC_NOT_NEEDED, STATUS_ALLOC_RESCHEDULED, STATUS_ALLOC_UPDATING, followupEval } from './evals.js';
import { emptyDesiredUpdates, type DeploymentStatusUpdate, type DesiredUpdates } from './planner.js';
import { BATCHED_FAILED_ALLOC_WINDOW, filterByRescheduleable, type DelayedReschedule } from './reschedule.js';

export type AllocUpdateDecision = { kind: 'ignore' } | { kind: 'destructive' } | { kind: 'inplace'; alloc: Allocation };
/** Decides how an existing allocation meets a new job version (the generic scheduler supplies it). */
export type AllocUpdateFn = (existing: Allocation, job: Job, tg: TaskGroup) => AllocUpdateDecision;

export interface PlaceResult {
  name: string;
  taskGroup: TaskGroup;
  previousAlloc: Allocation | null;
  reschedule: boolean;
  lost: boolean;
  canary: boolean;
}

export interface DestructiveResult {
  name: string;
  taskGroup: TaskGroup;
  stopAlloc: Allocation;
  stopDescription: string;
}

export interface StopResult {
  alloc: Allocation;
  clientStatus: AllocClientStatus | '';
  description: string;
  followupEvalID: string;
}

export interface ReconcileResults {
  deployment: Deployment | null;
  deploymentUpdates: DeploymentStatusUpdate[];
  place: PlaceResult[];
  destructiveUpdate: DestructiveResult[];
  inplaceUpdate: Allocation[];
  stop: StopResult[];
  /** Allocations whose attributes change without a placement decision (FollowupEvalID). */
  attributeUpdates: Allocation[];
  desiredTGUpdates: Record<string, DesiredUpdates>;
  followupEvals: Evaluation[];
  nameIndexes: Map<string, AllocNameIndex>;
}

export interface ReconcilerInput {
  job: Job | null;
  jobID: string;
  isBatch: boolean;
  deployment: Deployment | null;
  /** All of the job's allocations, terminal ones included. */
  allocs: readonly Allocation[];
  tainted: TaintedNodes;
  evalID: string;
  evalPriority: number;
  /** Milliseconds since the epoch. */
  now: number;
  updateFn: AllocUpdateFn;
  newID: () => string;
}

const stopOf = (alloc: Allocation, description: string, clientStatus: AllocClientStatus | '' = '', followupEvalID = ''): StopResult => ({ alloc, clientStatus, description, followupEvalID });

/** Stops everything in the set, lost ones as lost; returns the set's size as Nomad counts it. */
function stopAll(set: AllocSet, tainted: TaintedNodes): StopResult[] {
  const c = classifyAllocs(set, tainted);
  return [...nameOrder(union(c.untainted, c.migrate)).map((a) => stopOf(a, STATUS_ALLOC_NOT_NEEDED)), ...nameOrder(c.lost).map((a) => stopOf(a, STATUS_ALLOC_LOST, 'lost'))];
}

const DESC_STOPPED_JOB = 'Cancelled because job is stopped';
const DESC_NEWER_JOB = 'Cancelled due to newer version of job';

class Reconciler {
  private readonly r: ReconcileResults = { deployment: null, deploymentUpdates: [], place: [], destructiveUpdate: [], inplaceUpdate: [], stop: [], attributeUpdates: [], desiredTGUpdates: {}, followupEvals: [], nameIndexes: new Map() };
  private deployment: Deployment | null;
  private readonly nowNs: number;

  constructor(private readonly in_: ReconcilerInput) {
    this.deployment = in_.deployment;
    this.nowNs = msToNanos(in_.now);
  }

  run(): ReconcileResults {
    const job = this.in_.job;
    const matrix = new Map<string, AllocSet>();
    for (const tg of job?.TaskGroups ?? []) matrix.set(tg.Name, new Map());
    for (const a of this.in_.allocs) {
      let s = matrix.get(a.TaskGroup);
      if (s === undefined) matrix.set(a.TaskGroup, (s = new Map()));
      s.set(a.ID, a);
    }
    this.cancelUnneededDeployments(job);
    if (job === null || job.Stop) {
      for (const [group, set] of matrix) {
        const live = filterSet(set, (a) => !isTerminalAlloc(a));
        this.r.stop.push(...stopAll(live, this.in_.tainted));
        this.r.desiredTGUpdates[group] = { ...emptyDesiredUpdates(), Stop: live.size };
      }
      return this.r;
    }
    for (const [group, set] of matrix) this.computeGroup(job, group, set);
    return this.r;
  }

  private cancelUnneededDeployments(job: Job | null): void {
    const d = this.deployment;
    if (d === null) return;
    if (job === null || job.Stop) {
      if (isActiveDeployment(d.Status)) this.r.deploymentUpdates.push({ DeploymentID: d.ID, Status: 'cancelled', StatusDescription: DESC_STOPPED_JOB });
      this.deployment = null;
      return;
    }
    if (isActiveDeployment(d.Status) && (d.JobCreateIndex !== job.CreateIndex || d.JobVersion !== job.Version)) {
      this.r.deploymentUpdates.push({ DeploymentID: d.ID, Status: 'cancelled', StatusDescription: DESC_NEWER_JOB });
      this.deployment = null;
    } else if (d.Status === 'successful') this.deployment = null;
  }

  private computeGroup(job: Job, group: string, input: AllocSet): void {
    const du = emptyDesiredUpdates();
    this.r.desiredTGUpdates[group] = du;
    const tg = lookupTaskGroup(job, group);
    let all = filterServerTerminal(input);
    if (tg === undefined || tg.Count === 0) {
      this.r.stop.push(...stopAll(all, this.in_.tainted));
      du.Stop = all.size;
      return;
    }
    const old = filterOldTerminal(all, job, this.in_.isBatch);
    all = old.remain;
    du.Ignore += old.ignore.size;
    const c = classifyAllocs(all, this.in_.tainted);
    du.Ignore += c.ignore.size;
    const split = filterByRescheduleable(c.untainted, this.in_.isBatch, this.nowNs, this.in_.evalID, this.deployment);
    const msplit = filterByRescheduleable(c.migrate, this.in_.isBatch, this.nowNs, this.in_.evalID, this.deployment);
    let untainted = split.untainted;
    const rescheduleNow = union(split.now, msplit.now);
    const migrate = c.migrate;
    const lost = c.lost;
    const later = [...split.later, ...msplit.later];
    if (later.length > 0) this.createRescheduleLaterEvals(job, later, all, migrate, du);

    const nameIndex = new AllocNameIndex(this.in_.jobID, group, tg.Count, union(untainted, migrate, rescheduleNow, lost));
    this.r.nameIndexes.set(group, nameIndex);
    untainted = this.computeStop(tg, nameIndex, untainted, migrate, lost, rescheduleNow, du);

    const { inplace, destructive } = this.computeUpdates(job, tg, untainted, du);
    let underProvisionedBy = this.underProvisionedBy(tg, untainted, destructive, migrate);
    const place = computePlacements(tg, nameIndex, untainted, migrate, rescheduleNow, lost);
    const paused = this.deployment !== null && ['paused', 'pending', 'initializing'].includes(this.deployment.Status);
    const failedDeployment = this.deployment?.Status === 'failed';
    const failedNow = filterSet(rescheduleNow, (a) => !migrate.has(a.ID) && a.ClientStatus !== 'unknown');
    if (!paused && !failedDeployment) {
      du.Place += place.length;
      this.r.place.push(...place);
      for (const a of nameOrder(failedNow)) this.r.stop.push(stopOf(a, STATUS_ALLOC_RESCHEDULED));
      du.Stop += failedNow.size;
      underProvisionedBy -= Math.min(place.length, underProvisionedBy);
      const n = Math.min(destructive.size, underProvisionedBy);
      du.DestructiveUpdate += n;
      du.Ignore += destructive.size - n;
      for (const a of nameOrder(destructive).slice(0, n)) this.r.destructiveUpdate.push({ name: a.Name, taskGroup: tg, stopAlloc: a, stopDescription: STATUS_ALLOC_UPDATING });
    } else {
      // A paused or failed deployment still replaces lost and failed allocations.
      const lostPlaces = place.filter((p) => p.lost);
      du.Place += lostPlaces.length;
      this.r.place.push(...lostPlaces);
      for (const p of place) {
        if (!p.reschedule || p.previousAlloc === null) continue;
        if (failedDeployment && p.previousAlloc.DeploymentID === this.deployment?.ID) continue;
        this.r.place.push(p);
        du.Place++;
        this.r.stop.push(stopOf(p.previousAlloc, STATUS_ALLOC_RESCHEDULED));
        du.Stop++;
      }
      du.Ignore += destructive.size;
    }
    this.computeMigrations(tg, migrate, du);
    this.r.inplaceUpdate.push(...nameOrder(inplace));
    const groupPlaces = this.r.place.filter((p) => p.taskGroup.Name === group);
    if (groupPlaces.length > tg.Count) {
      const keep = new Set(groupPlaces.slice(0, tg.Count));
      this.r.place = this.r.place.filter((p) => p.taskGroup.Name !== group || keep.has(p));
      du.Place = tg.Count;
    }
  }

  private createRescheduleLaterEvals(job: Job, later: DelayedReschedule[], all: AllocSet, migrate: AllocSet, du: DesiredUpdates): void {
    const sorted = [...later].sort((a, b) => a.time - b.time);
    let batchStart = sorted[0]?.time ?? 0;
    let current: Evaluation | null = null;
    for (const l of sorted) {
      if (current === null || l.time - batchStart >= BATCHED_FAILED_ALLOC_WINDOW) {
        batchStart = l.time;
        current = followupEval(this.in_.newID(), job, this.in_.evalPriority, 'alloc-failure', goTime(nanosToMs(l.time)), this.nowNs);
        this.r.followupEvals.push(current);
      }
      const updated: Allocation = { ...(all.get(l.alloc.ID) ?? l.alloc), FollowupEvalID: current.ID };
      if (migrate.has(l.alloc.ID)) migrate.set(l.alloc.ID, updated);
      else this.r.attributeUpdates.push(updated);
    }
    du.RescheduleLater = later.length;
  }

  /**
   * Lost allocs stop as lost; beyond `count`, failed allocs due for rescheduling go first, then
   * migrating, then the highest-indexed. Returns the untainted set left. (Counting the
   * reschedule-now set here is a deliberate difference from Nomad, which can otherwise replace a
   * failed alloc while the group is already at count and end above it.)
   */
  private computeStop(tg: TaskGroup, nameIndex: AllocNameIndex, untainted: AllocSet, migrate: AllocSet, lost: AllocSet, rescheduleNow: AllocSet, du: DesiredUpdates): AllocSet {
    const stop: AllocSet = new Map(lost);
    for (const a of nameOrder(lost)) this.r.stop.push(stopOf(a, STATUS_ALLOC_LOST, 'lost'));
    const finish = (): AllocSet => {
      du.Stop += stop.size;
      return difference(untainted, stop);
    };
    const known = filterSet(untainted, (a) => a.ClientStatus !== 'unknown');
    let remove = known.size + migrate.size + rescheduleNow.size - tg.Count;
    if (remove <= 0) return finish();
    const working = filterSet(untainted, (a) => a.DesiredStatus !== 'stop' && a.DesiredStatus !== 'evict');
    const take = (a: Allocation): void => {
      stop.set(a.ID, a);
      this.r.stop.push(stopOf(a, STATUS_ALLOC_NOT_NEEDED));
      remove--;
    };
    for (const a of nameOrder(rescheduleNow).reverse()) {
      if (remove === 0) break;
      rescheduleNow.delete(a.ID);
      nameIndex.unset(allocIndex(a));
      take(a);
    }
    if (migrate.size > 0) {
      const names = new AllocNameIndex(this.in_.jobID, tg.Name, tg.Count, migrate).highest(remove);
      for (const a of nameOrder(migrate)) {
        if (remove === 0) break;
        if (!names.has(a.Name)) continue;
        migrate.delete(a.ID);
        nameIndex.unset(allocIndex(a));
        take(a);
      }
    }
    if (remove > 0) {
      const names = nameIndex.highest(remove);
      for (const a of nameOrder(working)) {
        if (remove === 0) break;
        if (!names.has(a.Name)) continue;
        working.delete(a.ID);
        take(a);
      }
    }
    for (const a of nameOrder(working)) {
      if (remove <= 0) break;
      take(a);
    }
    return finish();
  }

  private computeUpdates(job: Job, tg: TaskGroup, untainted: AllocSet, du: DesiredUpdates): { inplace: AllocSet; destructive: AllocSet } {
    const inplace: AllocSet = new Map();
    const destructive: AllocSet = new Map();
    for (const a of nameOrder(untainted)) {
      const d = this.in_.updateFn(a, job, tg);
      if (d.kind === 'ignore') du.Ignore++;
      else if (d.kind === 'destructive') destructive.set(a.ID, a);
      else inplace.set(a.ID, d.alloc);
    }
    du.InPlaceUpdate += inplace.size;
    return { inplace, destructive };
  }

  /** The rolling-update budget: max_parallel per evaluation while anything is destructive or migrating. */
  private underProvisionedBy(tg: TaskGroup, untainted: AllocSet, destructive: AllocSet, migrate: AllocSet): number {
    const update = tg.Update;
    if (update === null || update.MaxParallel === 0 || destructive.size + migrate.size === 0) return tg.Count;
    const d = this.deployment;
    if (d === null) return update.MaxParallel;
    if (['paused', 'pending', 'initializing', 'failed'].includes(d.Status)) return 0;
    let n = update.MaxParallel;
    for (const a of untainted.values()) {
      if (a.DeploymentID !== d.ID) continue;
      if (a.DeploymentStatus?.Healthy === false) return 0;
      if (a.DeploymentStatus?.Healthy !== true) n--;
    }
    return Math.max(0, n);
  }

  private computeMigrations(tg: TaskGroup, migrate: AllocSet, du: DesiredUpdates): void {
    du.Migrate += migrate.size;
    for (const a of nameOrder(migrate)) {
      this.r.stop.push(stopOf(a, STATUS_ALLOC_MIGRATING));
      if (a.Job?.Type === 'batch' && (a.DesiredTransition.Reschedule === true || a.DesiredTransition.MigrateDisablePlacement === true)) continue;
      this.r.place.push({ name: a.Name, taskGroup: tg, previousAlloc: a, reschedule: false, lost: false, canary: a.DeploymentStatus?.Canary === true });
    }
  }
}

/** Replacements for rescheduled and lost allocs, then fresh names up to `count`. */
function computePlacements(tg: TaskGroup, nameIndex: AllocNameIndex, untainted: AllocSet, migrate: AllocSet, reschedule: AllocSet, lost: AllocSet): PlaceResult[] {
  const place: PlaceResult[] = [];
  for (const a of nameOrder(reschedule)) place.push({ name: a.Name, taskGroup: tg, previousAlloc: a, reschedule: true, lost: false, canary: a.DeploymentStatus?.Canary === true });
  let existing = untainted.size + migrate.size + reschedule.size;
  for (const a of nameOrder(lost)) {
    if (existing >= tg.Count) break;
    existing++;
    place.push({ name: a.Name, taskGroup: tg, previousAlloc: a, reschedule: false, lost: true, canary: a.DeploymentStatus?.Canary === true });
  }
  if (existing < tg.Count) for (const name of nameIndex.next(tg.Count - existing)) place.push({ name, taskGroup: tg, previousAlloc: null, reschedule: false, lost: false, canary: false });
  return place;
}

/** Reconciles a service or batch job's allocations with its desired state. */
export function reconcile(input: ReconcilerInput): ReconcileResults {
  return new Reconciler(input).run();
}

