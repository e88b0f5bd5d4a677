// Placement metrics in Nomad's AllocMetric shape: what one Select saw (nodes evaluated, filtered
// by which constraint, exhausted on which dimension) and the scores of the best nodes. Attached to
// every placed allocation and, for groups that failed to place, to the evaluation.
import type { AllocMetric, Node, NodeScoreMeta, TaskGroup } from '../structs/index.js';

/** Nomad keeps the scores of the best five nodes (MaxRetainedNodeScores). */
export const MAX_RETAINED_NODE_SCORES = 5;

export function newAllocMetric(): AllocMetric {
  return {
    NodesEvaluated: 0,
    NodesFiltered: 0,
    NodesInPool: 0,
    NodePool: '',
    NodesAvailable: null,
    ClassFiltered: null,
    ConstraintFiltered: null,
    NodesExhausted: 0,
    ClassExhausted: null,
    DimensionExhausted: null,
    QuotaExhausted: null,
    ResourcesExhausted: null,
    Scores: null,
    ScoreMetaData: null,
    AllocationTime: 0,
    CoalescedFailures: 0,
  };
}

function bump(map: Record<string, number> | null, key: string): Record<string, number> {
  const m = map ?? {};
  m[key] = (m[key] ?? 0) + 1;
  return m;
}

/** Records into one AllocMetric; a fresh recorder per Select. */
export class MetricsRecorder {
  private readonly m: AllocMetric = newAllocMetric();
  /**
   * Filter counts by class and by constraint. A Select may filter thousands of nodes, and a Map
   * increment is far cheaper than one on a record, so they are counted here and written to the
   * metric's records (in first-seen order, as direct writes would have made them) when it is read.
   */
  private readonly classFiltered = new Map<string, number>();
  private readonly constraintFiltered = new Map<string, number>();
  private dirty = false;
  /** The best scored nodes so far, best first (kept short: only these become ScoreMetaData). */
  private readonly top: NodeScoreMeta[] = [];

  /** The metric, with every count recorded so far. */
  get metric(): AllocMetric {
    if (this.dirty) {
      if (this.classFiltered.size > 0) this.m.ClassFiltered = Object.fromEntries(this.classFiltered);
      if (this.constraintFiltered.size > 0) this.m.ConstraintFiltered = Object.fromEntries(this.constraintFiltered);
      this.dirty = false;
    }
    return this.m;
  }

  evaluateNode(): void {
    this.m.NodesEvaluated++;
  }

  filterNode(node: Node, constraint: string): void {
    this.m.NodesFiltered++;
    if (node.NodeClass !== '') this.classFiltered.set(node.NodeClass, (this.classFiltered.get(node.NodeClass) ?? 0) + 1);
    if (constraint !== '') this.constraintFiltered.set(constraint, (this.constraintFiltered.get(constraint) ?? 0) + 1);
    this.dirty = true;
  }

  /**
   * `filterNode` repeated `n` more times for nodes of the class: for a caller that counts a run of
   * filtered nodes and has recorded the first through `filterNode` (so keys keep their first-seen order).
   */
  filterNodes(nodeClass: string, constraint: string, n: number): void {
    if (n === 0) return;
    this.m.NodesFiltered += n;
    if (nodeClass !== '') this.classFiltered.set(nodeClass, (this.classFiltered.get(nodeClass) ?? 0) + n);
    if (constraint !== '') this.constraintFiltered.set(constraint, (this.constraintFiltered.get(constraint) ?? 0) + n);
    this.dirty = true;
  }

  exhaustedNode(node: Node, dimension: string): void {
    this.m.NodesExhausted++;
    if (node.NodeClass !== '') this.m.ClassExhausted = bump(this.m.ClassExhausted, node.NodeClass);
    if (dimension !== '') this.m.DimensionExhausted = bump(this.m.DimensionExhausted, dimension);
  }

  /** Whether scoreNode would keep a node with this final score (callers build the named scores only then). */
  retains(normScore: number): boolean {
    const top = this.top;
    return !(top.length === MAX_RETAINED_NODE_SCORES && normScore <= (top[top.length - 1]?.NormScore ?? -Infinity));
  }

  /** Records a ranked node's named scores and final (normalized) score. */
  scoreNode(nodeID: string, scores: Record<string, number>, normScore: number): void {
    const top = this.top;
    if (top.length === MAX_RETAINED_NODE_SCORES && normScore <= (top[top.length - 1]?.NormScore ?? -Infinity)) return;
    let i = top.length;
    while (i > 0 && (top[i - 1]?.NormScore ?? 0) < normScore) i--;
    top.splice(i, 0, { NodeID: nodeID, Scores: scores, NormScore: normScore });
    if (top.length > MAX_RETAINED_NODE_SCORES) top.pop();
  }

  /** Keeps the top scored nodes, best first (ties keep the order nodes were scored in). */
  populateScoreMetaData(): void {
    if (this.top.length > 0) this.m.ScoreMetaData = [...this.top];
  }
}

/** Nomad's AllocMetric.ExhaustResources: which tasks' asks ran out, per exhausted dimension. */
export function exhaustResources(metric: AllocMetric, tg: TaskGroup): void {
  const dims = metric.DimensionExhausted;
  if (dims === null) return;
  const cpu = (dims['cpu'] ?? 0) > 0;
  const mem = (dims['memory'] ?? 0) > 0;
  if (!cpu && !mem) return;
  const out: Record<string, unknown> = metric.ResourcesExhausted ?? {};
  for (const task of tg.Tasks) {
    const prev = (out[task.Name] ?? { CPU: 0, MemoryMB: 0 }) as { CPU: number; MemoryMB: number };
    out[task.Name] = { CPU: prev.CPU + (cpu ? task.Resources.CPU : 0), MemoryMB: prev.MemoryMB + (mem ? task.Resources.MemoryMB : 0) };
  }
  metric.ResourcesExhausted = out;
}

/** Sums the filter counts of several failed Selects (system schedulers report per node). */
export function mergeNodeFiltered(acc: AllocMetric | undefined, cur: AllocMetric): AllocMetric {
  if (acc === undefined) return structuredClone(cur);
  acc.NodesEvaluated += cur.NodesEvaluated;
  acc.NodesFiltered += cur.NodesFiltered;
  for (const [k, v] of Object.entries(cur.ClassFiltered ?? {})) (acc.ClassFiltered ??= {})[k] = (acc.ClassFiltered[k] ?? 0) + v;
  for (const [k, v] of Object.entries(cur.ConstraintFiltered ?? {})) (acc.ConstraintFiltered ??= {})[k] = (acc.ConstraintFiltered[k] ?? 0) + v;
  acc.AllocationTime += cur.AllocationTime;
  return acc;
}
