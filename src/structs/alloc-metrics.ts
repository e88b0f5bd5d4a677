// Plain-language explanations of placement failures (AllocMetric), worded as Nomad's CLI words
// them in `job run`, `job plan` and `eval status`. Shared by the scheduler (job plan) and the CLI.
import type { AllocMetric } from './alloc.js';

const byKey = <T>(o: Record<string, T> | null): [string, T][] => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The bullet lines for one metric, each starting with `prefix`. */
export function formatAllocMetrics(m: AllocMetric, prefix = '  '): string[] {
  const out: string[] = [];
  if (m.NodesEvaluated === 0) out.push(`${prefix}* No nodes were eligible for evaluation`);
  for (const [dc, n] of byKey(m.NodesAvailable)) if (n === 0) out.push(`${prefix}* No nodes are available in datacenter ${JSON.stringify(dc)}`);
  for (const [cls, n] of byKey(m.ClassFiltered)) out.push(`${prefix}* Class ${JSON.stringify(cls)}: ${n} nodes excluded by filter`);
  for (const [c, n] of byKey(m.ConstraintFiltered)) out.push(`${prefix}* Constraint ${JSON.stringify(c)}: ${n} nodes excluded by filter`);
  if (m.NodesExhausted > 0) out.push(`${prefix}* Resources exhausted on ${m.NodesExhausted} nodes`);
  for (const [cls, n] of byKey(m.ClassExhausted)) out.push(`${prefix}* Class ${JSON.stringify(cls)} exhausted on ${n} nodes`);
  for (const [dim, n] of byKey(m.DimensionExhausted)) out.push(`${prefix}* Dimension ${JSON.stringify(dim)} exhausted on ${n} nodes`);
  for (const q of m.QuotaExhausted ?? []) out.push(`${prefix}* Quota limit hit ${JSON.stringify(q)}`);
  return out;
}

/** One heading per failed task group followed by its bullet lines. */
export function explainFailures(failed: Record<string, AllocMetric> | null, prefix = '  '): string[] {
  const out: string[] = [];
  for (const [tg, m] of byKey(failed)) {
    const n = m.CoalescedFailures + 1;
    out.push(`Task Group ${JSON.stringify(tg)} (failed to place ${n} ${n === 1 ? 'allocation' : 'allocations'}):`);
    out.push(...formatAllocMetrics(m, prefix));
  }
  return out;
}
