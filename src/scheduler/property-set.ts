// How many of a job's (or task group's) allocations sit on nodes with each value of a property —
// existing ones, plus those the plan places, minus those it stops (Nomad's propertySet). Serves
// distinct_property (an allowed count per value) and spread (desired counts per value).
import type { Allocation, Job, Node } from '../structs/index.js';
import { isTerminalAlloc } from '../structs/index.js';
import { compileTarget, resolveTarget } from './constraints.js';
import type { EvalContext } from './context.js';

export function getProperty(node: Node | null, property: string): string | undefined {
  if (node === null || property === '') return undefined;
  return resolveTarget(property, node);
}

/** What a plan list held when it was last counted. */
class PlanListState {
  readonly list: readonly Allocation[];
  readonly len: number;
  readonly last: Allocation | undefined;
  readonly copy: Allocation[];
  constructor(list: readonly Allocation[]) {
    this.list = list;
    this.len = list.length;
    this.last = list[list.length - 1];
    this.copy = [...list];
  }
  /** Elements may be swapped in place (a reschedule tracker update, a failed-reschedule marker). */
  sameElements(list: readonly Allocation[]): boolean {
    for (let i = 0; i < list.length; i++) if (list[i] !== this.copy[i]) return false;
    return true;
  }
}

export class PropertySet {
  private readonly existing = new Map<string, number>();
  /** Placements in the plan by value (incrementally maintained). */
  private readonly proposed = new Map<string, number>();
  /** Stops in the plan by value (incrementally maintained), and the adjusted copy combinedUse reads. */
  private readonly rawCleared = new Map<string, number>();
  private cleared = new Map<string, number>();
  private readonly seenPlacements = new Map<string, PlanListState>();
  private readonly seenUpdates = new Map<string, PlanListState>();
  private combinedCache: Map<string, number> | null = null;
  private minMax: [number, number] | null = null;
  private readonly accessor: (node: Node) => string | undefined;
  /** Property value (targeted) by node ID; null when the node lacks it. */
  private readonly byNode = new Map<string, string | null>();
  readonly error: string;
  /**
   * Value ids by position in a candidate list (the stack's shuffled nodes): −2 not resolved yet,
   * −1 the node lacks the property, else an index into `valueNames`. Lets a scorer memoise per
   * value without a string-keyed lookup per node visit.
   */
  private ordinalIds = new Int32Array(0);
  private ordinalNodes: readonly Node[] | null = null;
  readonly valueNames: string[] = [];
  private readonly valueIds = new Map<string, number>();

  constructor(
    private readonly ctx: EvalContext,
    job: Job,
    readonly attribute: string,
    private readonly taskGroup: string,
    readonly allowedCount: number,
    private readonly targetValues: ReadonlySet<string> = new Set(),
    error = '',
  ) {
    this.error = error;
    this.accessor = attribute === '' ? () => undefined : compileTarget(attribute);
    const allocs = ctx.state.allocsByJob(job.Namespace, job.ID, false);
    this.count(this.filter(allocs, true), this.existing);
    this.populateProposed();
  }

  private filter(allocs: readonly Allocation[], dropTerminal: boolean): Allocation[] {
    return allocs.filter((a) => !(dropTerminal && isTerminalAlloc(a)) && (this.taskGroup === '' || a.TaskGroup === this.taskGroup));
  }

  private target(value: string): string {
    return this.targetValues.size === 0 || this.targetValues.has(value) ? value : '*';
  }

  /** The node's targeted value (memoised per node ID), or null when it lacks the property. */
  private valueOf(nodeID: string, node: Node | null): string | null {
    let v = this.byNode.get(nodeID);
    if (v === undefined) {
      const n = node ?? this.ctx.state.nodeByID(nodeID);
      const raw = n === null ? undefined : this.accessor(n);
      v = raw === undefined ? null : this.target(raw);
      this.byNode.set(nodeID, v);
    }
    return v;
  }

  private count(allocs: readonly Allocation[], into: Map<string, number>): void {
    for (const a of allocs) {
      const t = this.valueOf(a.NodeID, null);
      if (t === null) continue;
      into.set(t, (into.get(t) ?? 0) + 1);
    }
  }

  /**
   * How many of the node's plan entries count (matching group, and for placements non-terminal),
   * and under which value they were counted.
   */
  private countList(list: readonly Allocation[] | undefined, dropTerminal: boolean, into: Map<string, number>, sign: 1 | -1): void {
    for (const a of list ?? []) {
      if ((dropTerminal && isTerminalAlloc(a)) || (this.taskGroup !== '' && a.TaskGroup !== this.taskGroup)) continue;
      const t = this.valueOf(a.NodeID, null);
      if (t === null) continue;
      const n = (into.get(t) ?? 0) + sign;
      if (n === 0) into.delete(t);
      else into.set(t, n);
    }
  }

  /**
   * Brings the raw plan counts up to date: only the nodes whose plan lists changed since the last
   * call (another length, another last element, or another list) are recounted, so a Select costs
   * O(nodes in the plan) pointer checks rather than a recount of every planned allocation.
   */
  private syncPlan(m: Record<string, Allocation[]>, seen: Map<string, PlanListState>, dropTerminal: boolean, into: Map<string, number>): boolean {
    let changed = false;
    for (const [nodeID, st] of seen) {
      if (m[nodeID] !== undefined) continue;
      this.countList(st.copy, dropTerminal, into, -1);
      seen.delete(nodeID);
      changed = true;
    }
    for (const nodeID in m) {
      const list = m[nodeID] ?? [];
      const st = seen.get(nodeID);
      if (st !== undefined && st.list === list && st.len === list.length && st.last === list[list.length - 1] && st.sameElements(list)) continue;
      if (st !== undefined) this.countList(st.copy, dropTerminal, into, -1);
      this.countList(list, dropTerminal, into, 1);
      seen.set(nodeID, new PlanListState(list));
      changed = true;
    }
    return changed;
  }

  /** Re-reads the plan's placements and stops (call before each Select). */
  populateProposed(): void {
    const a = this.syncPlan(this.ctx.plan.NodeUpdate, this.seenUpdates, false, this.rawCleared);
    const b = this.syncPlan(this.ctx.plan.NodeAllocation, this.seenPlacements, true, this.proposed);
    if (!a && !b && this.combinedCache !== null) return;
    // Nomad's quirk, kept: a value that is both proposed and cleared has its cleared count reduced by one.
    this.cleared = new Map(this.rawCleared);
    for (const v of this.proposed.keys()) {
      const c = this.cleared.get(v);
      if (c === undefined) continue;
      if (c === 0) this.cleared.delete(v);
      else if (c > 1) this.cleared.set(v, c - 1);
    }
    this.combinedCache = null;
    this.minMax = null;
  }

  combinedUse(): Map<string, number> {
    if (this.combinedCache !== null) return this.combinedCache;
    const out = new Map<string, number>();
    for (const m of [this.existing, this.proposed]) for (const [v, n] of m) out.set(v, (out.get(v) ?? 0) + n);
    for (const [v, n] of this.cleared) {
      const cur = out.get(v);
      if (cur === undefined) continue;
      out.set(v, cur >= n ? cur - n : 0);
    }
    this.combinedCache = out;
    return out;
  }

  /** The smallest and largest counts in the combined use (Nomad treats 0 as "unset" here). */
  useRange(): [number, number] {
    if (this.minMax !== null) return this.minMax;
    let min = 0;
    let max = 0;
    for (const v of this.combinedUse().values()) {
      if (min === 0 || v < min) min = v;
      if (max === 0 || v > max) max = v;
    }
    this.minMax = [min, max];
    return this.minMax;
  }

  /** The node's targeted value, or undefined when it lacks the property. */
  nodeValue(node: Node): string | undefined {
    return this.valueOf(node.ID, node) ?? undefined;
  }

  /** The value id of `nodes[i]` (which is `node`): −1 when it lacks the property, else an index into `valueNames`. */
  valueIdAt(nodes: readonly Node[], i: number, node: Node): number {
    if (this.ordinalNodes !== nodes) {
      this.ordinalNodes = nodes;
      this.ordinalIds = new Int32Array(nodes.length).fill(-2);
    }
    const known = this.ordinalIds[i] ?? -2;
    if (known !== -2) return known;
    const v = this.valueOf(node.ID, node);
    let id = -1;
    if (v !== null) {
      id = this.valueIds.get(v) ?? -1;
      if (id === -1) {
        id = this.valueNames.length;
        this.valueNames.push(v);
        this.valueIds.set(v, id);
      }
    }
    this.ordinalIds[i] = id;
    return id;
  }

  /** The node's (targeted) value and how many allocations already use it; `error` when the node lacks the property. */
  usedCount(node: Node): { value: string; error: string; count: number } {
    if (this.error !== '') return { value: '', error: this.error, count: 0 };
    const t = this.valueOf(node.ID, node);
    if (t === null) return { value: '', error: `missing property ${JSON.stringify(this.attribute)}`, count: 0 };
    return { value: t, error: '', count: this.combinedUse().get(t) ?? 0 };
  }

  /** distinct_property: fewer than the allowed count on this node's value? */
  satisfiesDistinct(node: Node): { ok: boolean; reason: string } {
    const { value, error, count } = this.usedCount(node);
    if (error !== '') return { ok: false, reason: error };
    if (count < this.allowedCount) return { ok: true, reason: '' };
    return { ok: false, reason: `distinct_property: ${this.attribute}=${value} used by ${count} allocs` };
  }
}
