// The placement stack: given the candidate nodes and a task group, pick the best node. Nodes are
// visited in a seeded shuffle (continuing where the previous Select stopped, as Nomad's static
// iterator does); each passes the feasibility checks, distinct_* checks and bin packing, gets
// scored, and only the first `limit` ranked nodes are compared (up to 3 non-positive scorers are
// set aside in favour of later nodes). The max score wins; ties keep the earlier node.
import type { Affinity, Job, Node, TaskGroup } from '../structs/index.js';
import type { EvalContext } from './context.js';
import { DistinctChecker } from './distinct.js';
import { FeasibilityChecker } from './feasibility.js';
import { binPack, combinedAffinities, jobAntiAffinity, nodeAffinity, normalizeScore, reschedulePenalty, type RankedNode, type SchedulerAlgorithm } from './rank.js';
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

export interface StackConfig {
  algorithm: SchedulerAlgorithm;
  nodeLimitForFeasibilityChecks: number;
}

export class Stack {
  private nodes: Node[] = [];
  /** The shuffled candidates from setNodes (as opposed to a temporary preferred-node source). */
  private main: Node[] = [];
  /**
   * Per task group, the settled class verdict of each candidate by its position in `main`
   * (0 not settled yet, 1 eligible, 2 ineligible): after the first visit a node of a decided
   * class costs one array read instead of a class hash and two map lookups.
   */
  private readonly verdicts = new Map<string, Int8Array>();
  private current: Int8Array | null = null;
  private offset = 0;
  private seen = 0;
  private baseLimit = 2;
  private job: Job | null = null;
  private readonly feasibility: FeasibilityChecker;
  private readonly distinct: DistinctChecker;
  private readonly spread: SpreadScorer;

  constructor(
    private readonly ctx: EvalContext,
    private readonly kind: StackKind,
    private readonly config: StackConfig = { algorithm: 'binpack', nodeLimitForFeasibilityChecks: DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS },
  ) {
    this.feasibility = new FeasibilityChecker(ctx);
    this.distinct = new DistinctChecker(ctx);
    this.spread = new SpreadScorer(ctx);
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

  private nextRanked(tg: TaskGroup, penalties: ReadonlySet<string>, affinities: readonly Affinity[]): RankedNode | null {
    const job = this.job;
    if (job === null) return null;
    for (;;) {
      const node = this.nextNode();
      if (node === null) return null;
      if (!this.isFeasible(node)) continue;
      if (!this.distinct.feasible(node)) continue;
      const option = binPack(this.ctx, node, tg, this.config.algorithm);
      if (option === null) continue;
      if (this.kind !== 'system') {
        jobAntiAffinity(option, job, tg);
        reschedulePenalty(option, penalties);
        nodeAffinity(this.ctx, option, affinities);
        if (this.spread.hasSpreads()) {
          const s = this.spread.score(node);
          if (s !== 0) {
            option.scores.push(s);
            option.named['allocation-spread'] = s;
          }
        }
      }
      normalizeScore(this.ctx, option);
      return option;
    }
  }

  private isFeasible(node: Node): boolean {
    const verdicts = this.nodes === this.main ? this.current : null;
    if (verdicts === null) return this.feasibility.feasible(node);
    const i = this.offset - 1;
    const v = verdicts[i];
    if (v === 1) return this.feasibility.feasibleSettled(node, 'eligible');
    if (v === 2) return this.feasibility.feasibleSettled(node, 'ineligible');
    const ok = this.feasibility.feasible(node);
    const settled = this.feasibility.classVerdict(node);
    if (settled !== null) verdicts[i] = settled === 'eligible' ? 1 : 2;
    return ok;
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
    try {
      return this.selectFromSource(tg, opts);
    } finally {
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
    const limit = this.limitFor(tg);
    const penalties = opts.penaltyNodeIDs ?? new Set<string>();
    const affinities = this.job === null ? [] : combinedAffinities(this.job, tg);
    const skipped: RankedNode[] = [];
    let skippedIdx = 0;
    const nextOption = (): RankedNode | null => {
      const o = this.nextRanked(tg, penalties, affinities);
      if (o === null && skippedIdx < skipped.length) return skipped[skippedIdx++] ?? null;
      return o;
    };
    let best: RankedNode | null = null;
    let returned = 0;
    while (returned < limit) {
      let option = nextOption();
      if (option === null) break;
      if (skipped.length < MAX_SKIP) {
        while (option !== null && option.finalScore <= SKIP_SCORE_THRESHOLD && skipped.length < MAX_SKIP) {
          skipped.push(option);
          option = this.nextRanked(tg, penalties, affinities);
        }
      }
      returned++;
      if (option === null) option = nextOption();
      if (option === null) break;
      if (best === null || option.finalScore > best.finalScore) best = option;
    }
    return best;
  }
}
