// The placement stack: given the candidate nodes and a task group, pick the best node. Nodes are
// visited in a seeded shuffle (continuing where the previous Select stopped, as Nomad's static
// iterator does); each passes the feasibility checks, distinct_* checks and bin packing, gets
// scored, and only the first `limit` ranked nodes are compared (up to 3 non-positive scorers are
// set aside in favour of later nodes). The max score wins; ties keep the earlier node.
//
// Cost model (a spread Select visits ~2× max(count, 100) nodes): per-node work is kept to array
// reads by the node's position in the shuffled list — settled class verdicts, plan lists indexed
// once per Select, the proposed allocations and the bin-pack verdict memoised until the node's
// plan entries change — and scores live in a scratch; a RankedNode (and a named-scores record) is
// built only for a node that becomes the best, is set aside, or enters the retained top scores.
import type { Affinity, Allocation, Job, Node, TaskGroup } from '../structs/index.js';
import { proposedEntryCurrent, type EvalContext, type ProposedEntry } from './context.js';
import { DistinctChecker } from './distinct.js';
import { FeasibilityChecker } from './feasibility.js';
import { affinityScore, antiAffinityPenalty, binPack, collisions, combinedAffinities, finalScore, namedScores, scoreList, uniformFit, uniformTaskResources, type Fit, type RankedNode, type SchedulerAlgorithm, type ScoreParts } from './rank.js';
import { createRng, seedFromEval, shuffle } from './rng.js';
import { SpreadScorer } from './spread.js';

/** Nodes looked at for groups with spreads or affinities (scheduler config default). */
export const DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS = 100;
const MAX_SKIP = 3;
const SKIP_SCORE_THRESHOLD = 0;

export interface SelectOptions {
  penaltyNodeIDs?: ReadonlySet<string>;
  preferredNodes?: Node[];
  allocName?: string;
}

export type StackKind = 'service' | 'batch' | 'system';

/** Memoised ranking inputs of one candidate (by position): valid while its proposed entry, group and job are. */
interface Slot {
  entry: ProposedEntry;
  tg: TaskGroup;
  /** uniformFit's verdict: the normalized fitness or the exhausted dimension. */
  fit: number | string;
  collisions: number;
}

/** Plan reads by direct record lookup before a Select indexes the plan by position (see planLists). */
const DIRECT_PLAN_READS = 16;

export interface StackConfig {
  algorithm: SchedulerAlgorithm;
  nodeLimitForFeasibilityChecks: number;
}

export class Stack {
  private nodes: Node[] = [];
  /** The shuffled candidates from setNodes (as opposed to a temporary preferred-node source). */
  private main: Node[] = [];
  /** Position in `main` by node ID. */
  private positions = new Map<string, number>();
  /**
   * Per task group, the settled class verdict of each candidate by its position in `main`
   * (0 not settled yet, 1 eligible, 2 ineligible): after the first visit a node of a decided
   * class costs one array read instead of a class hash and two map lookups.
   */
  private readonly verdicts = new Map<string, Int8Array>();
  private current: Int8Array | null = null;
  /** NodeClass of each candidate as an index into `classNames`, for batched filter counts. */
  private classOf = new Int32Array(0);
  private classNames: string[] = [];
  /** Per Select: "computed class ineligible" filters not yet written to the metrics, by class. */
  private pendingIneligible = new Int32Array(0);
  private seenIneligible = new Uint8Array(0);
  private pendingAny = false;
  /** Per Select: the plan's lists by candidate position, once indexed (see planLists). */
  private updAt: (Allocation[] | undefined)[] = [];
  private addAt: (Allocation[] | undefined)[] = [];
  private indexedAt: number[] = [];
  private planIndexed = false;
  private directReads = 0;
  private slots: (Slot | undefined)[] = [];
  private offset = 0;
  private seen = 0;
  private baseLimit = 2;
  private job: Job | null = null;
  private readonly feasibility: FeasibilityChecker;
  private readonly distinct: DistinctChecker;
  private readonly spread: SpreadScorer;
  /** The Select's group, penalties, affinities and whether it has spreads. */
  private tg: TaskGroup | null = null;
  private penalties: ReadonlySet<string> = new Set();
  private affinities: readonly Affinity[] = [];
  private spreads = false;
  /** The scratch: the last node `advance` scored, with what materialize needs. */
  private cNode: Node | null = null;
  private cScore = 0;
  private cNamed: Record<string, number> | null = null;
  private cFit: Fit | null = null;
  private cEntry: ProposedEntry | null = null;
  private readonly cParts: ScoreParts = { binpack: 0, generic: true, antiAffinity: 0, reschedule: false, affinity: 0, spread: 0 };

  constructor(
    private readonly ctx: EvalContext,
    private readonly kind: StackKind,
    private readonly config: StackConfig = { algorithm: 'binpack', nodeLimitForFeasibilityChecks: DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS },
  ) {
    this.feasibility = new FeasibilityChecker(ctx);
    this.distinct = new DistinctChecker(ctx);
    this.spread = new SpreadScorer(ctx);
    this.cParts.generic = kind !== 'system';
  }

  /** Sets the candidates. Generic stacks shuffle them (seeded by eval ID and snapshot index) and size the limit: batch 2, service max(2, ⌈log2 N⌉). */
  setNodes(nodes: readonly Node[]): void {
    const list = [...nodes];
    if (this.kind !== 'system') shuffle(list, createRng(seedFromEval(this.ctx.plan.EvalID, this.ctx.state.index)));
    this.setSource(list);
    this.main = list;
    this.verdicts.clear();
    this.baseLimit = 2;
    if (this.kind === 'service' && list.length > 0) this.baseLimit = Math.max(2, Math.ceil(Math.log2(list.length)));
    this.positions = new Map();
    this.classOf = new Int32Array(list.length);
    this.classNames = [];
    const classes = new Map<string, number>();
    for (let i = 0; i < list.length; i++) {
      const n = list[i] as Node;
      this.positions.set(n.ID, i);
      let c = classes.get(n.NodeClass);
      if (c === undefined) {
        c = this.classNames.length;
        this.classNames.push(n.NodeClass);
        classes.set(n.NodeClass, c);
      }
      this.classOf[i] = c;
    }
    this.pendingIneligible = new Int32Array(this.classNames.length);
    this.seenIneligible = new Uint8Array(this.classNames.length);
    this.updAt = new Array<Allocation[] | undefined>(list.length).fill(undefined);
    this.addAt = new Array<Allocation[] | undefined>(list.length).fill(undefined);
    this.indexedAt = [];
    this.slots = new Array<Slot | undefined>(list.length).fill(undefined);
  }

  private setSource(list: Node[]): void {
    this.nodes = list;
    this.offset = 0;
    this.seen = 0;
  }

  setJob(job: Job): void {
    this.job = job;
    this.feasibility.setJob(job);
    this.distinct.setJob(job);
    this.spread.setJob(job);
    this.slots.fill(undefined);
  }

  private nextNode(): Node | null {
    const n = this.nodes.length;
    if (this.offset === n || this.seen === n) {
      if (this.seen === n) return null;
      this.offset = 0;
    }
    const node = this.nodes[this.offset++] ?? null;
    this.seen++;
    this.ctx.metrics.evaluateNode();
    return node;
  }

  /**
   * Visits nodes until one is feasible, fits and is scored into the scratch; false when the
   * source is exhausted. Metrics are recorded as each node is visited.
   */
  private advance(): boolean {
    const job = this.job;
    const tg = this.tg;
    if (job === null || tg === null) return false;
    const inMain = this.nodes === this.main;
    for (;;) {
      const node = this.nextNode();
      if (node === null) return false;
      const i = this.offset - 1;
      if (!this.isFeasible(node, i)) continue;
      if (!this.distinct.feasible(node)) continue;
      const p = this.cParts;
      let proposed: readonly Allocation[];
      let slot: Slot | null = null;
      if (inMain) slot = this.slotAt(node, i, tg, job);
      if (slot !== null) {
        if (typeof slot.fit === 'string') {
          this.ctx.metrics.exhaustedNode(node, slot.fit);
          continue;
        }
        p.binpack = slot.fit;
        this.cFit = null;
        this.cEntry = slot.entry;
        proposed = slot.entry.allocs;
      } else {
        const fit = binPack(this.ctx, node, tg, this.config.algorithm);
        if (fit === null) continue;
        p.binpack = fit.norm;
        this.cFit = fit;
        this.cEntry = null;
        proposed = fit.proposed;
      }
      if (p.generic) {
        p.antiAffinity = antiAffinityPenalty(slot !== null ? slot.collisions : collisions(proposed, job, tg), tg);
        p.reschedule = this.penalties.size > 0 && this.penalties.has(node.ID);
        p.affinity = affinityScore(this.ctx, node, this.affinities);
        p.spread = this.spreads ? this.spread.score(node, inMain ? this.main : null, i) : 0;
      }
      const score = finalScore(p);
      this.cNode = node;
      this.cScore = score;
      this.cNamed = null;
      const m = this.ctx.metrics;
      if (m.retains(score)) {
        this.cNamed = namedScores(p);
        m.scoreNode(node.ID, this.cNamed, score);
      }
      return true;
    }
  }

  /** The scratch node as a RankedNode. */
  private materialize(): RankedNode {
    const node = this.cNode as Node;
    const p = this.cParts;
    const named = this.cNamed ?? namedScores(p);
    const fit = this.cFit;
    if (fit !== null) return { node, scores: scoreList(p), finalScore: this.cScore, proposed: fit.proposed, named, taskResources: fit.taskResources, taskLifecycles: fit.taskLifecycles, allocNetworks: fit.allocNetworks, allocPorts: fit.allocPorts };
    const ask = uniformTaskResources(this.tg as TaskGroup);
    return { node, scores: scoreList(p), finalScore: this.cScore, proposed: (this.cEntry as ProposedEntry).allocs, named, taskResources: ask.taskResources, taskLifecycles: ask.taskLifecycles, allocNetworks: null, allocPorts: null };
  }

  /**
   * The candidate's memoised ranking inputs, recomputed when its plan entries changed; null when
   * the group's ask is not uniform (bin packing assigns ports or cores per node).
   */
  private slotAt(node: Node, i: number, tg: TaskGroup, job: Job): Slot | null {
    this.planLists(node.ID, i);
    const upd = this.curUpd;
    const add = this.curAdd;
    const s = this.slots[i];
    if (s !== undefined && s.tg === tg && proposedEntryCurrent(s.entry, upd, add)) return s;
    const entry = this.ctx.proposedFrom(node.ID, upd, add);
    if (s !== undefined && s.tg === tg && s.entry === entry) return s;
    const fit = uniformFit(node, entry.usage, tg, this.config.algorithm);
    if (fit === null) return null;
    const slot: Slot = { entry, tg, fit, collisions: collisions(entry.allocs, job, tg) };
    this.slots[i] = slot;
    return slot;
  }

  private curUpd: Allocation[] | undefined = undefined;
  private curAdd: Allocation[] | undefined = undefined;

  /**
   * The plan's stops and placements for `main[i]`. A Select never changes the plan, and the plan's
   * records are dictionary-mode objects (a lookup by node ID costs far more than an array read),
   * so once a Select has read more than a few nodes it indexes the plan by position.
   */
  private planLists(nodeID: string, i: number): void {
    const plan = this.ctx.plan;
    if (!this.planIndexed) {
      if (++this.directReads <= DIRECT_PLAN_READS) {
        this.curUpd = plan.NodeUpdate[nodeID];
        this.curAdd = plan.NodeAllocation[nodeID];
        return;
      }
      for (const p of this.indexedAt) {
        this.updAt[p] = undefined;
        this.addAt[p] = undefined;
      }
      this.indexedAt.length = 0;
      for (const id in plan.NodeUpdate) {
        const p = this.positions.get(id);
        if (p === undefined) continue;
        this.updAt[p] = plan.NodeUpdate[id];
        this.indexedAt.push(p);
      }
      for (const id in plan.NodeAllocation) {
        const p = this.positions.get(id);
        if (p === undefined) continue;
        this.addAt[p] = plan.NodeAllocation[id];
        this.indexedAt.push(p);
      }
      this.planIndexed = true;
    }
    this.curUpd = this.updAt[i];
    this.curAdd = this.addAt[i];
  }

  private isFeasible(node: Node, i: number): boolean {
    const verdicts = this.nodes === this.main ? this.current : null;
    if (verdicts === null) return this.feasibility.feasible(node);
    const v = verdicts[i];
    if (v === 1) return this.feasibility.feasibleSettled(node, 'eligible');
    if (v === 2) {
      // Counted in bulk (flushFiltered); the first of each class goes through the metrics so
      // the filter keys keep their first-seen order.
      const c = this.classOf[i] ?? 0;
      if (this.seenIneligible[c] === 1) {
        this.pendingIneligible[c] = (this.pendingIneligible[c] ?? 0) + 1;
        this.pendingAny = true;
        return false;
      }
      this.seenIneligible[c] = 1;
      return this.feasibility.feasibleSettled(node, 'ineligible');
    }
    const ok = this.feasibility.feasible(node);
    const settled = this.feasibility.classVerdict(node);
    if (settled !== null) verdicts[i] = settled === 'eligible' ? 1 : 2;
    return ok;
  }

  private flushFiltered(): void {
    if (this.pendingAny) {
      const m = this.ctx.metrics;
      for (let c = 0; c < this.pendingIneligible.length; c++) m.filterNodes(this.classNames[c] ?? '', 'computed class ineligible', this.pendingIneligible[c] ?? 0);
      this.pendingIneligible.fill(0);
      this.pendingAny = false;
    }
    this.seenIneligible.fill(0);
  }

  private limitFor(tg: TaskGroup): number {
    if (this.kind === 'system' || this.job === null) return Infinity;
    if (combinedAffinities(this.job, tg).length > 0 || this.spread.hasSpreads()) {
      const cfg = this.config.nodeLimitForFeasibilityChecks;
      return tg.Count < cfg ? cfg : tg.Count;
    }
    return this.baseLimit;
  }

  /** The best node for one allocation of the group, or null (the reasons are in ctx.metrics). */
  select(tg: TaskGroup, opts: SelectOptions = {}): RankedNode | null {
    if (opts.preferredNodes !== undefined && opts.preferredNodes.length > 0) {
      const saved = { nodes: this.nodes, offset: this.offset, seen: this.seen };
      this.setSource([...opts.preferredNodes]);
      const rest: SelectOptions = { ...opts, preferredNodes: [] };
      const found = this.select(tg, rest);
      this.nodes = saved.nodes;
      this.offset = saved.offset;
      this.seen = saved.seen;
      if (found !== null) return found;
      return this.select(tg, rest);
    }
    this.ctx.beginSelect();
    this.planIndexed = false;
    this.directReads = 0;
    try {
      return this.selectFromSource(tg, opts);
    } finally {
      this.flushFiltered();
      this.ctx.endSelect();
    }
  }

  private selectFromSource(tg: TaskGroup, opts: SelectOptions): RankedNode | null {
    this.ctx.resetMetrics();
    this.seen = 0;
    this.feasibility.setTaskGroup(tg);
    let verdicts = this.verdicts.get(tg.Name);
    if (verdicts === undefined || verdicts.length !== this.main.length) {
      verdicts = new Int8Array(this.main.length);
      this.verdicts.set(tg.Name, verdicts);
    }
    this.current = verdicts;
    this.distinct.setTaskGroup(tg);
    this.spread.setTaskGroup(tg);
    this.tg = tg;
    this.spreads = this.spread.hasSpreads();
    const limit = this.limitFor(tg);
    this.penalties = opts.penaltyNodeIDs ?? new Set<string>();
    this.affinities = this.job === null ? [] : combinedAffinities(this.job, tg);
    // Candidates come from the scratch (advance) or, once the source is exhausted, from the
    // nodes set aside; `held` is the set-aside node being considered, null for the scratch.
    const skipped: RankedNode[] = [];
    let skippedIdx = 0;
    let held: RankedNode | null = null;
    const nextOption = (): boolean => {
      held = null;
      if (this.advance()) return true;
      if (skippedIdx < skipped.length) {
        held = skipped[skippedIdx++] ?? null;
        return held !== null;
      }
      return false;
    };
    const scoreOf = (): number => (held !== null ? (held as RankedNode).finalScore : this.cScore);
    let best: RankedNode | null = null;
    let returned = 0;
    while (returned < limit) {
      let have = nextOption();
      if (!have) break;
      if (skipped.length < MAX_SKIP) {
        while (have && scoreOf() <= SKIP_SCORE_THRESHOLD && skipped.length < MAX_SKIP) {
          skipped.push(held ?? this.materialize());
          held = null;
          have = this.advance();
        }
      }
      returned++;
      if (!have) have = nextOption();
      if (!have) break;
      if (best === null || scoreOf() > best.finalScore) best = held ?? this.materialize();
    }
    return best;
  }
}
