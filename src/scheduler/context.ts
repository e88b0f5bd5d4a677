// Per-evaluation scheduling context: the state snapshot, the plan being built, the metrics of the
// current Select, the computed-class eligibility memo, compiled-constraint caches and the Rng.
// ProposedAllocs — what would be on a node if the plan so far were applied — lives here.
import type { Allocation, Job } from '../structs/index.js';
import { constraintEscapes, newConstraintCaches, type ConstraintCaches } from './constraints.js';
import { usageOf, type Usage } from './fit.js';
import { MetricsRecorder } from './metrics.js';
import type { Plan } from './planner.js';
import type { Rng } from './rng.js';
import type { StateView } from './state-view.js';

export type ClassFeasibility = 'unknown' | 'eligible' | 'ineligible' | 'escaped';

/** Nomad's EvalEligibility: per computed class, is the job / each task group feasible? */
export class EvalEligibility {
  private readonly job = new Map<string, boolean>();
  private readonly groups = new Map<string, Map<string, boolean>>();
  private jobEscaped = false;
  private readonly groupEscaped = new Map<string, boolean>();

  setJob(job: Job): void {
    this.jobEscaped = (job.Constraints ?? []).some(constraintEscapes);
    for (const tg of job.TaskGroups) {
      const cs = [...(tg.Constraints ?? []), ...tg.Tasks.flatMap((t) => t.Constraints ?? [])];
      const csi = Object.values(tg.Volumes ?? {}).some((v) => v.Type === 'csi');
      this.groupEscaped.set(tg.Name, cs.some(constraintEscapes) || csi);
    }
  }

  jobStatus(cls: string): ClassFeasibility {
    if (this.jobEscaped) return 'escaped';
    const v = this.job.get(cls);
    return v === undefined ? 'unknown' : v ? 'eligible' : 'ineligible';
  }

  setJobEligibility(eligible: boolean, cls: string): void {
    this.job.set(cls, eligible);
  }

  groupStatus(tg: string, cls: string): ClassFeasibility {
    if (this.groupEscaped.get(tg) === true) return 'escaped';
    const v = this.groups.get(tg)?.get(cls);
    return v === undefined ? 'unknown' : v ? 'eligible' : 'ineligible';
  }

  setGroupEligibility(eligible: boolean, tg: string, cls: string): void {
    let m = this.groups.get(tg);
    if (m === undefined) {
      m = new Map();
      this.groups.set(tg, m);
    }
    m.set(cls, eligible);
  }

  hasEscaped(): boolean {
    return this.jobEscaped || [...this.groupEscaped.values()].some((v) => v);
  }

  /** Classes known eligible (true) or ineligible (false) for the job, for blocked evals. */
  classes(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const m of this.groups.values()) {
      for (const [cls, ok] of m) {
        if (ok) out[cls] = true;
        else if (!(cls in out)) out[cls] = false;
      }
    }
    for (const [cls, ok] of this.job) {
      if (ok) {
        if (!(cls in out)) out[cls] = true;
      } else out[cls] = false;
    }
    return out;
  }
}

/** A node's proposed allocations and their usage, with the plan list lengths and ends they were computed from. */
export interface ProposedEntry {
  readonly updLen: number;
  readonly updLast: Allocation | undefined;
  readonly addLen: number;
  readonly addLast: Allocation | undefined;
  readonly allocs: Allocation[];
  readonly usage: Usage;
}

/** Whether the entry still describes the node given its plan lists now (see EvalContext.proposed). */
export function proposedEntryCurrent(e: ProposedEntry, upd: readonly Allocation[] | undefined, add: readonly Allocation[] | undefined): boolean {
  const updLen = upd === undefined ? 0 : upd.length;
  const addLen = add === undefined ? 0 : add.length;
  return e.updLen === updLen && e.addLen === addLen && e.updLast === (upd === undefined ? undefined : upd[updLen - 1]) && e.addLast === (add === undefined ? undefined : add[addLen - 1]);
}

export class EvalContext {
  metrics = new MetricsRecorder();
  private readonly proposedCache = new Map<string, ProposedEntry>();
  readonly eligibility = new EvalEligibility();
  readonly caches: ConstraintCaches = newConstraintCaches();

  constructor(
    public state: StateView,
    public plan: Plan,
    readonly rng: Rng,
  ) {}

  /**
   * The plan's lists by node, for the rest of a Select. A Select never changes the plan, and a
   * Map lookup is an order of magnitude cheaper than one in the plan's dictionary-mode records;
   * building the index costs one pass over the plan, so it is built only once a Select has read
   * enough nodes to repay it (a spread Select reads hundreds, a plain one a handful).
   */
  private planIndex: Map<string, { upd: Allocation[] | undefined; add: Allocation[] | undefined }> | null = null;
  private inSelect = false;
  private directReads = 0;

  /** Marks the start of a Select: the plan will not change until endSelect. */
  beginSelect(): void {
    this.inSelect = true;
    this.directReads = 0;
    this.planIndex = null;
  }

  endSelect(): void {
    this.inSelect = false;
    this.planIndex = null;
  }

  private indexPlan(): Map<string, { upd: Allocation[] | undefined; add: Allocation[] | undefined }> {
    const index = new Map<string, { upd: Allocation[] | undefined; add: Allocation[] | undefined }>();
    for (const id in this.plan.NodeUpdate) index.set(id, { upd: this.plan.NodeUpdate[id], add: undefined });
    for (const id in this.plan.NodeAllocation) {
      const e = index.get(id);
      if (e !== undefined) e.add = this.plan.NodeAllocation[id];
      else index.set(id, { upd: undefined, add: this.plan.NodeAllocation[id] });
    }
    return index;
  }

  resetMetrics(): void {
    this.metrics = new MetricsRecorder();
  }

  /**
   * proposedAllocs with their summed usage, memoised per node until the plan's entries for the
   * node change (the plan only grows, shrinks at the end, or swaps an alloc for a copy with the
   * same resources).
   */
  proposed(nodeID: string): ProposedEntry {
    let upd: Allocation[] | undefined;
    let add: Allocation[] | undefined;
    let index = this.planIndex;
    if (index === null && this.inSelect && ++this.directReads > 16) {
      index = this.indexPlan();
      this.planIndex = index;
    }
    if (index !== null) {
      const e = index.get(nodeID);
      if (e !== undefined) {
        upd = e.upd;
        add = e.add;
      }
    } else {
      upd = this.plan.NodeUpdate[nodeID];
      add = this.plan.NodeAllocation[nodeID];
    }
    return this.proposedFrom(nodeID, upd, add);
  }

  /** `proposed` for a caller that has already read the node's plan lists (stops, placements). */
  proposedFrom(nodeID: string, upd: readonly Allocation[] | undefined, add: readonly Allocation[] | undefined): ProposedEntry {
    const updLen = upd?.length ?? 0;
    const addLen = add?.length ?? 0;
    const updLast = upd?.[updLen - 1];
    const addLast = add?.[addLen - 1];
    const hit = this.proposedCache.get(nodeID);
    if (hit !== undefined && proposedEntryCurrent(hit, upd, add)) return hit;
    const allocs = this.proposedAllocs(nodeID);
    const entry: ProposedEntry = { updLen, updLast, addLen, addLast, allocs, usage: usageOf(allocs) };
    this.proposedCache.set(nodeID, entry);
    return entry;
  }

  /** Existing non-terminal allocs on the node, minus the plan's stops, plus (or replaced by) its placements. */
  proposedAllocs(nodeID: string): Allocation[] {
    const existing = this.state.allocsByNode(nodeID);
    const stops = this.plan.NodeUpdate[nodeID];
    const adds = this.plan.NodeAllocation[nodeID];
    if (stops === undefined && adds === undefined) return existing;
    const stopped = new Set((stops ?? []).map((a) => a.ID));
    const byID = new Map<string, Allocation>();
    for (const a of existing) if (!stopped.has(a.ID)) byID.set(a.ID, a);
    for (const a of adds ?? []) byID.set(a.ID, a);
    return [...byID.values()];
  }
}
