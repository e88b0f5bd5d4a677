// Spread scoring (Nomad's SpreadIterator): job and group `spread` blocks push allocations across
// the values of a node attribute — toward target percentages when given (an implicit "*" target
// takes the remainder), or evenly when not. The score is appended only when non-zero.
import type { Job, Node, Spread, TaskGroup } from '../structs/index.js';
import type { EvalContext } from './context.js';
import { PropertySet } from './property-set.js';

const IMPLICIT_TARGET = '*';

interface SpreadInfo {
  weight: number;
  desired: Map<string, number>;
}

/** Nomad's evenSpreadScoreBoost: favour the least used values, −1 when even or missing. */
function evenSpreadBoost(ps: PropertySet, value: string, use: ReadonlyMap<string, number>): number {
  if (use.size === 0) return 0;
  const current = use.get(value) ?? 0;
  const [min, max] = ps.useRange();
  const delta = min === 0 ? -1 : (min - current) / min;
  if (current !== min) return delta;
  if (min === max) return -1;
  if (min === 0) return 1;
  return (max - min) / min;
}

/** A property set of the current group with its spread details and its per-Select memo by value id. */
interface ActiveSet {
  ps: PropertySet;
  details: SpreadInfo | undefined;
  memo: (number | null)[];
}

const LOWEST = Symbol('lowest boost');

export class SpreadScorer {
  private job: Job | null = null;
  private jobSpreads: Spread[] = [];
  private tg: TaskGroup | null = null;
  private readonly sets = new Map<string, PropertySet[]>();
  private readonly info = new Map<string, Map<string, SpreadInfo>>();
  private sumWeights = 0;
  /** The current group's property sets with their spread details, resolved once per Select. */
  private active: ActiveSet[] = [];
  private lowestBoost = -1;

  constructor(private readonly ctx: EvalContext) {}

  setJob(job: Job): void {
    this.job = job;
    this.jobSpreads = job.Spreads ?? [];
    this.sets.clear();
    this.info.clear();
  }

  setTaskGroup(tg: TaskGroup): void {
    this.tg = tg;
    const job = this.job;
    if (job === null) return;
    if (!this.sets.has(tg.Name)) {
      const list: PropertySet[] = [];
      for (const s of [...this.jobSpreads, ...(tg.Spreads ?? [])]) list.push(new PropertySet(this.ctx, job, s.Attribute, tg.Name, 0, new Set((s.SpreadTarget ?? []).map((t) => t.Value))));
      this.sets.set(tg.Name, list);
    } else for (const ps of this.sets.get(tg.Name) ?? []) ps.populateProposed();
    if (!this.info.has(tg.Name)) this.computeInfo(tg);
    const info = this.info.get(tg.Name);
    this.active = (this.sets.get(tg.Name) ?? []).map((ps) => ({ ps, details: info?.get(ps.attribute), memo: [] }));
  }

  hasSpreads(): boolean {
    return this.tg !== null && (this.sets.get(this.tg.Name)?.length ?? 0) > 0;
  }

  private computeInfo(tg: TaskGroup): void {
    const infos = new Map<string, SpreadInfo>();
    for (const s of [...(tg.Spreads ?? []), ...this.jobSpreads]) {
      const desired = new Map<string, number>();
      let sum = 0;
      for (const t of s.SpreadTarget ?? []) {
        const d = (t.Percent / 100) * tg.Count;
        desired.set(t.Value, d);
        sum += d;
      }
      if (sum > 0 && sum < tg.Count) desired.set(IMPLICIT_TARGET, tg.Count - sum);
      infos.set(s.Attribute, { weight: s.Weight, desired });
      this.sumWeights += s.Weight;
    }
    this.info.set(tg.Name, infos);
  }

  /**
   * The total spread boost for the node (0 = nothing to append). With `nodes` (the candidate list
   * holding the node at `i`) each set's contribution is memoised per value for the rest of the
   * Select: within a Select the plan, and so the use counts, do not change.
   */
  score(node: Node, nodes: readonly Node[] | null = null, i = -1): number {
    if (this.tg === null) return 0;
    let total = 0;
    for (const a of this.active) {
      const ps = a.ps;
      let value: string | undefined;
      let id = -1;
      if (ps.error !== '') value = undefined;
      else if (nodes === null) value = ps.nodeValue(node);
      else {
        id = ps.valueIdAt(nodes, i, node);
        if (id >= 0) {
          const known = a.memo[id];
          if (known !== undefined) {
            if (known !== null) total += known;
            continue;
          }
          value = ps.valueNames[id];
        }
      }
      if (value === undefined) {
        total -= 1;
        continue;
      }
      const c = this.contribution(a, value);
      if (c === LOWEST) {
        total += this.lowestBoost;
        continue;
      }
      if (id >= 0) a.memo[id] = c;
      if (c !== null) total += c;
    }
    return total;
  }

  /**
   * One set's contribution for a node with `value`: a boost, null for none, or LOWEST for a 0%
   * target (the lowest boost seen so far, which changes as nodes are scored, so not memoisable).
   * Recording the lowest boost is idempotent, so a memoised boost need not record it again.
   */
  private contribution(a: ActiveSet, value: string): number | null | typeof LOWEST {
    const { ps, details } = a;
    const use = ps.combinedUse();
    const used = (use.get(value) ?? 0) + 1;
    if (details === undefined) return null;
    if (details.desired.size === 0) return evenSpreadBoost(ps, value, use);
    const desired = details.desired.get(value) ?? details.desired.get(IMPLICIT_TARGET);
    if (desired === undefined) return -1;
    if (desired === 0) return LOWEST;
    const boost = ((desired - used) / desired) * (details.weight / this.sumWeights);
    if (boost < this.lowestBoost) this.lowestBoost = boost;
    return boost;
  }
}
